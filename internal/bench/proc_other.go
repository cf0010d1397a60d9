//go:build !linux

package bench

import (
	"errors"
	"syscall"
	"time"
)

// errNoProc is what a measurement of another process answers where there
// is no /proc to read it from.
var errNoProc = errors.New("measuring a process needs Linux's /proc")

func (p proc) cpuTime() (time.Duration, error) { return 0, errNoProc }

func (p proc) status(string) uint64 { return 0 }

func (p proc) resetPeak() bool { return false }

func hubProcAttr() *syscall.SysProcAttr { return nil }

func listenerPID(int) (int, error) { return 0, errNoProc }
