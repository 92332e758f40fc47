package models

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"testing"
)

// TestObjectIDUnchanged pins ObjectID (and AppendObjectID) to the formula it had
// before it appended to a buffer: ids already handed out must not change.
func TestObjectIDUnchanged(t *testing.T) {
	was := func(recipientID uint) string {
		sum := sha256.Sum256([]byte("recipient:" + strconv.FormatUint(uint64(recipientID), 10)))
		h := hex.EncodeToString(sum[:10])
		return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + fmt.Sprintf("%012x", recipientID)
	}
	for _, id := range []uint{0, 1, 9, 10, 255, 4096, 606380, 1_000_018, 1<<48 - 1, 1 << 48, math.MaxUint64} {
		if got, want := ObjectID(id), was(id); got != want {
			t.Errorf("ObjectID(%d) = %s, want %s", id, got, want)
		}
		if got, want := string(AppendObjectID([]byte("x"), id)), "x"+was(id); got != want {
			t.Errorf("AppendObjectID(x, %d) = %s, want %s", id, got, want)
		}
		if rid, ok := RecipientIDOfObjectID(ObjectID(id)); id != 0 && id <= 1<<48-1 && (!ok || rid != id) {
			t.Errorf("RecipientIDOfObjectID(ObjectID(%d)) = %d, %v", id, rid, ok)
		}
	}
}
