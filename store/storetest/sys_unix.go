//go:build unix && !linux

package storetest

import (
	"os"
	"syscall"
)

// procAttr runs postgres as cred. Outside Linux there is no parent-death
// signal; Env.Main stops the cluster.
func procAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred}
}

// clusterBase returns where to put the cluster: the temporary directory.
func clusterBase() string { return os.TempDir() }
