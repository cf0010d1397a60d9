package server

// CheckSchema lets the tests check registrations against a schema.
var CheckSchema = checkSchema

// LoadConfigFor reads the configuration of a hub with the registries given.
var LoadConfigFor = loadConfig
