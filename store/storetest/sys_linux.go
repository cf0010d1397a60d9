package storetest

import (
	"os"
	"syscall"
)

// procAttr runs postgres as cred and has the kernel send it SIGQUIT
// (immediate shutdown) if the test binary dies without stopping it.
func procAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
}

// clusterBase returns where to put the cluster: /dev/shm when it is a
// roomy tmpfs, because creating a database per test on a disk costs
// hundreds of milliseconds even with fsync off, and in memory tens;
// otherwise the system's temporary directory.
func clusterBase() string {
	const shm, need = "/dev/shm", 512 << 20
	var st syscall.Statfs_t
	if err := syscall.Statfs(shm, &st); err != nil || uint64(st.Bavail)*uint64(st.Bsize) < need {
		return os.TempDir()
	}
	if syscall.Access(shm, 2 /* W_OK */) != nil {
		return os.TempDir()
	}
	return shm
}
