"""Use cases. Each takes a session (and `now` where time matters), adds and flushes, and never
commits: the view or command that owns the transaction commits once."""
