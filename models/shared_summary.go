package models

// Storage is the state of a listed shared mailbox's storage, for the list's badge.
func (r SharedMailboxRow) Storage() StorageState {
	return StorageStateOf(r.StorageUsedBytes, r.QuotaBytes)
}

// HolderCount is how many people and how many groups hold a right themselves.
type HolderCount struct {
	People int
	Groups int
}

// holderCounts counts the direct holders of each right, people and groups apart.
func holderCounts(acc *MailboxAccess) map[Right]HolderCount {
	out := map[Right]HolderCount{}
	for _, r := range Rights {
		var c HolderCount
		for _, h := range acc.Direct(r) {
			if h.Kind == KindGroup {
				c.Groups++
			} else {
				c.People++
			}
		}
		out[r] = c
	}
	return out
}
