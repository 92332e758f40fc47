package models

import (
	"context"
	"testing"
)

// Recipients > Mailboxes at scale (BENCH_DB): the first page, a page deep in the
// list, the list sorted Z to A, and a search.

func BenchmarkRecipientMailboxesFirstPage(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.RecipientMailboxes(context.Background(), MailboxListQuery{Page: Page{Size: 25}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRecipientMailboxesDeepPage(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	list, err := s.RecipientMailboxes(ctx, MailboxListQuery{Page: Page{Size: 100}})
	if err != nil {
		b.Fatal(err)
	}
	for range 20 {
		if list.Next == "" {
			break
		}
		if list, err = s.RecipientMailboxes(ctx, MailboxListQuery{Page: Page{Size: 100, After: list.Next}}); err != nil {
			b.Fatal(err)
		}
	}
	after := list.Next
	for b.Loop() {
		if _, err := s.RecipientMailboxes(ctx, MailboxListQuery{Page: Page{Size: 25, After: after}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRecipientMailboxesDescending(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.RecipientMailboxes(context.Background(), MailboxListQuery{Page: Page{Size: 25, Desc: true}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRecipientMailboxesSearch(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.RecipientMailboxes(context.Background(), MailboxListQuery{Search: "sales", Page: Page{Size: 25}}); err != nil {
			b.Fatal(err)
		}
	}
}
