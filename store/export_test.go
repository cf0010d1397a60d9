package store

// WithMigrationsUpTo makes Open stop migrating at version v, so that a test
// can write rows as an older release did and then let a later Open migrate
// them.
func WithMigrationsUpTo(v int64) Option {
	return func(c *config) { c.migrateUpTo = v }
}
