package processtest

import "syscall"

// procAttr makes the kernel kill a hub when the test binary dies, so that
// a test binary that panics or times out leaves no hub running.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
