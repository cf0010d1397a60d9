package server

// CheckSchema lets the tests check registrations against a schema.
var CheckSchema = checkSchema
