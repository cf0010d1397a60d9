//go:build unix

package storetest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cluster is a throwaway PostgreSQL cluster: a data directory in a
// temporary directory and a postgres process that listens only on a Unix
// socket in that directory, so it needs no free TCP port and cannot clash
// with another test binary's cluster.
type cluster struct {
	dir    string
	proc   *os.Process
	exited chan struct{} // closed when postgres has exited
	logf   string
}

// startCluster runs initdb and postgres and waits until the server accepts
// connections.
func startCluster(ctx context.Context) (_ *server, err error) {
	bin, err := findBinaries()
	if err != nil {
		return nil, err
	}
	cred, err := credential()
	if err != nil {
		return nil, err
	}
	base := clusterBase()
	removeOrphans(base)
	// A short base keeps the socket path under the 107-byte limit.
	dir, err := os.MkdirTemp(base, "poort-pg-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, fmt.Errorf("hand the cluster directory to the postgres user: %w", err)
		}
	}
	data := filepath.Join(dir, "data")

	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
		"-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C")
	initdb.Dir = dir // the caller's directory may be unreadable to postgres
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %w: %s", err, tail(out))
	}

	c := &cluster{dir: dir, exited: make(chan struct{}), logf: filepath.Join(dir, "postgres.log")}
	if err := c.run(filepath.Join(bin, "postgres"), data, cred); err != nil {
		return nil, err
	}
	dsn := (&url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Path:     "/postgres",
		RawQuery: url.Values{"host": {dir}, "port": {"5432"}, "sslmode": {"disable"}}.Encode(),
	}).String()
	admin, err := c.waitReady(ctx, dsn)
	if err != nil {
		c.stop()
		return nil, err
	}
	u, _ := url.Parse(dsn)
	return &server{admin: admin, baseURL: u, template: "poort_template", cluster: c}, nil
}

// run starts postgres from a goroutine locked to its OS thread that lives
// as long as the server: the parent-death signal (Linux) fires when the
// thread that started the child ends, and this way that happens only when
// the test binary exits, so a test binary that dies or is killed does not
// leave postgres running.
func (c *cluster) run(postgres, data string, cred *syscall.Credential) error {
	logFile, err := os.Create(c.logf)
	if err != nil {
		return err
	}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// Never unlocked: the thread ends with this goroutine, after postgres.
		defer logFile.Close()
		cmd := exec.Command(postgres, "-D", data,
			"-k", c.dir, "-p", "5432", "-c", "listen_addresses=",
			// Durability is worthless for a throwaway cluster; speed is not.
			"-F", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
			"-c", "autovacuum=off", "-c", "max_connections=300", "-c", "shared_buffers=32MB")
		cmd.Dir = c.dir
		cmd.Stdout, cmd.Stderr = logFile, logFile
		cmd.SysProcAttr = procAttr(cred)
		if err := cmd.Start(); err != nil {
			started <- fmt.Errorf("start postgres: %w", err)
			return
		}
		c.proc = cmd.Process
		started <- nil
		cmd.Wait()
		close(c.exited)
	}()
	return <-started
}

func (c *cluster) waitReady(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		if err = db.PingContext(ctx); err == nil {
			return db, nil
		}
		select {
		case <-c.exited:
			db.Close()
			return nil, fmt.Errorf("postgres exited during start-up: %s", c.logTail())
		case <-ctx.Done():
			db.Close()
			return nil, fmt.Errorf("postgres not ready after 30s: %v: %s", err, c.logTail())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop shuts postgres down (fast shutdown, then a kill if it lingers) and
// removes the cluster directory.
func (c *cluster) stop() error {
	if c.proc != nil {
		c.proc.Signal(syscall.SIGINT)
		select {
		case <-c.exited:
		case <-time.After(10 * time.Second):
			c.proc.Kill()
			<-c.exited
		}
	}
	return os.RemoveAll(c.dir)
}

func (c *cluster) logTail() string {
	b, _ := os.ReadFile(c.logf)
	return tail(b)
}

// ownerFile holds the PID of the test binary that made a cluster directory.
const ownerFile = "owner.pid"

// removeOrphans deletes the cluster directories of test binaries that died
// without stopping their cluster (a panic, a timeout, a kill): their
// postgres got the parent-death signal, but the directory, which may be in
// memory, stayed.
func removeOrphans(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, "poort-pg-*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue // being set up, or not ours
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			os.RemoveAll(dir)
		}
	}
}

// findBinaries returns the directory that holds initdb and postgres: the
// one on PATH, or the newest /usr/lib/postgresql/*/bin (Debian and Ubuntu
// keep them off PATH).
func findBinaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return majorVersion(b) - majorVersion(a) })
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	return "", errors.New("no PostgreSQL binaries: initdb is not on PATH or under /usr/lib/postgresql/*/bin " +
		"(install PostgreSQL, or set " + EnvPostgresURL + " to a server where tests may create databases)")
}

func majorVersion(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// credential returns the user to run initdb and postgres as: nil (the
// current user) unless we are root, which both refuse; then the
// "postgres" system user.
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, and initdb refuses root, but there is no postgres user to run it as: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// tail returns the last lines of a command's output, for error messages.
func tail(b []byte) string {
	b = bytes.TrimSpace(b)
	lines := bytes.Split(b, []byte("\n"))
	if len(lines) > 8 {
		lines = lines[len(lines)-8:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
