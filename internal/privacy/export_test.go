package privacy

// SetRetryPause replaces the pause between tries of a failed batch write, so a test can change
// the database between two tries.
func SetRetryPause(s *Service, pause func(try int)) { s.batch.pause = pause }

// WriteTries is how many times a batch write is tried.
const WriteTries = writeTries
