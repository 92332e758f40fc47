package models

// Storage is the state of a listed shared mailbox's storage, for the list's badge.
func (r SharedMailboxRow) Storage() StorageState {
	return StorageStateOf(r.StorageUsedBytes, r.QuotaBytes)
}
