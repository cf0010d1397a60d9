//go:build !linux

package processtest

import "syscall"

// procAttr has nothing to add outside Linux; t.Cleanup kills the hubs.
func procAttr() *syscall.SysProcAttr { return nil }
