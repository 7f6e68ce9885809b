// Package hadrill drives the local Patroni cluster of scripts/ha.sh for
// the failover drill and the read-replica test: who leads, who follows
// synchronously, killing a primary's postmaster, asking for a switchover.
// Its tests run only with HAOCHA_TEST_HA=1 (docs/high-availability.md).
package hadrill

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Cluster is a running scripts/ha.sh cluster.
type Cluster struct {
	Dir  string   // HA_DIR: data/NODE/postmaster.pid is read from it
	APIs []string // Patroni REST API base URLs, one per node
}

// Member is one node as Patroni lists it.
type Member struct {
	Name     string `json:"name"`
	Role     string `json:"role"` // leader, sync_standby, replica
	State    string `json:"state"`
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Timeline int    `json:"timeline"`
}

// Addr is the member's PostgreSQL host:port.
func (m Member) Addr() string { return m.Host + ":" + strconv.Itoa(m.Port) }

// Members lists the cluster, asking each node's API until one answers (a
// node whose PostgreSQL was just killed still answers through Patroni).
func (c *Cluster) Members(ctx context.Context) ([]Member, error) {
	var errs []error
	for _, api := range c.APIs {
		var out struct {
			Members []Member `json:"members"`
		}
		if err := c.call(ctx, http.MethodGet, api+"/cluster", nil, &out); err != nil {
			errs = append(errs, err)
			continue
		}
		return out.Members, nil
	}
	return nil, errors.Join(errs...)
}

// Role is the running member with role, or false.
func (c *Cluster) Role(ctx context.Context, role string) (Member, bool) {
	ms, err := c.Members(ctx)
	if err != nil {
		return Member{}, false
	}
	for _, m := range ms {
		if m.Role == role && m.State == "running" {
			return m, true
		}
	}
	return Member{}, false
}

// KillPostmaster sends SIGKILL to node's postmaster, as a crash would.
func (c *Cluster) KillPostmaster(node string) error {
	b, err := os.ReadFile(filepath.Join(c.Dir, "data", node, "postmaster.pid"))
	if err != nil {
		return fmt.Errorf("postmaster of %s: %w", node, err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil {
		return fmt.Errorf("postmaster.pid of %s: %w", node, err)
	}
	return syscall.Kill(pid, syscall.SIGKILL)
}

// Switchover asks Patroni to hand the primary from leader to candidate
// (its synchronous standby) now, and waits until it has.
func (c *Cluster) Switchover(ctx context.Context, leader, candidate string) error {
	body, _ := json.Marshal(map[string]string{"leader": leader, "candidate": candidate})
	var errs []error
	for _, api := range c.APIs {
		err := c.call(ctx, http.MethodPost, api+"/switchover", body, nil)
		var refused *net.OpError
		if !errors.As(err, &refused) {
			// Done, or refused by a node that answered: asking another
			// would only ask again.
			return err
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// WaitFor polls until ok holds of the members, or ctx ends.
func (c *Cluster) WaitFor(ctx context.Context, what string, ok func([]Member) bool) error {
	for {
		if ms, err := c.Members(ctx); err == nil && ok(ms) {
			return nil
		}
		select {
		case <-ctx.Done():
			ms, _ := c.Members(context.Background())
			return fmt.Errorf("waiting for %s: %w (members: %+v)", what, ctx.Err(), ms)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (c *Cluster) call(ctx context.Context, method, url string, body []byte, out any) error {
	// A switchover answers once it is done.
	timeout := 3 * time.Second
	if strings.HasSuffix(url, "/switchover") {
		timeout = 90 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var msg bytes.Buffer
		msg.ReadFrom(resp.Body)
		return fmt.Errorf("%s %s: %d %s", method, url, resp.StatusCode, strings.TrimSpace(msg.String()))
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
