#!/usr/bin/env bash
# A local PostgreSQL cluster that survives losing its primary: one etcd and
# three Patroni nodes (a primary, a synchronous standby and a third node that
# becomes the synchronous standby of whichever node is promoted), on loopback
# ports only, with its data under $HA_DIR. docs/high-availability.md explains
# the settings; scripts/failover.sh drills it.
#
#   scripts/ha.sh up       start, wait for a leader and a synchronous standby,
#                          create the haocha role and database, print the DSN
#   scripts/ha.sh down     stop everything and remove $HA_DIR
#   scripts/ha.sh status   patronictl list
#   scripts/ha.sh dsn      the multi-host DSN Haocha takes
#   scripts/ha.sh leader   the leader's node name, e.g. node1
#
# Needs Debian's patroni, etcd-server and etcd-client packages and PostgreSQL
# 15 (PG_BIN). Run as root (the nodes run as user postgres: PostgreSQL refuses
# root) or as postgres. The cluster on port 5432 is not touched.
set -euo pipefail

HA_DIR=${HA_DIR:-/tmp/haocha-ha}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
# Ports: PostgreSQL 5441-5443, Patroni's REST API 8441-8443, etcd 2479/2480.
PG_PORT0=${HA_PG_PORT:-5441}
API_PORT0=${HA_API_PORT:-8441}
ETCD_PORT=${HA_ETCD_PORT:-2479}
NODES=(node1 node2 node3)
SUPER_PASS=postgres-ha
REPL_PASS=replicator-ha

as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# spawn NAME LOG CMD... starts CMD in the background as postgres, its own
# pid (not runuser's: a signal to runuser does not reach it) in NAME.pid.
spawn() {
	local name=$1 log=$2
	shift 2
	local run=(sh -c 'echo $$ >"$0"; exec "$@"' "$HA_DIR/$name.pid" "$@")
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "${run[@]}" >"$log" 2>&1 &
	else
		"${run[@]}" >"$log" 2>&1 &
	fi
	for _ in $(seq 1 50); do [ -s "$HA_DIR/$name.pid" ] && return; sleep 0.1; done
}

pg_port() { echo $((PG_PORT0 + $1)); }
api_port() { echo $((API_PORT0 + $1)); }

dsn() {
	local hosts=()
	for i in "${!NODES[@]}"; do hosts+=("127.0.0.1:$(pg_port "$i")"); done
	local IFS=,
	echo "postgres://haocha:haocha@${hosts[*]}/haocha?sslmode=disable&target_session_attrs=read-write&connect_timeout=2"
}

patronictl_() { as_postgres patronictl -c "$HA_DIR/node1.yml" "$@"; }

# node_config i writes node i's Patroni configuration.
node_config() {
	local i=$1 name=${NODES[$1]}
	cat >"$HA_DIR/$name.yml" <<EOF
scope: haocha
name: $name
log:
  dir: $HA_DIR/log/$name
  level: INFO
restapi:
  listen: 127.0.0.1:$(api_port "$i")
  connect_address: 127.0.0.1:$(api_port "$i")
etcd3:
  hosts: 127.0.0.1:$ETCD_PORT
watchdog:
  mode: off
bootstrap:
  dcs:
    # How fast a failover is: the HA loop runs every loop_wait seconds; a
    # leader that stops renewing its key loses it after ttl.
    ttl: 20
    loop_wait: 2
    retry_timeout: 5
    # A crashed primary is failed over at once, not restarted in place:
    # its synchronous standby has every acknowledged commit.
    primary_start_timeout: 0
    # A commit returns only once a synchronous standby has it on disk, and
    # only that standby may be promoted. Strict: with no standby left the
    # primary stops acknowledging commits rather than go on alone.
    synchronous_mode: true
    synchronous_mode_strict: true
    synchronous_node_count: 1
    maximum_lag_on_failover: 1048576
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        synchronous_commit: "on"
        wal_level: replica
        wal_log_hints: "on"
        hot_standby: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
        max_connections: 200
        shared_buffers: 64MB
        fsync: "on"
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
postgresql:
  listen: 127.0.0.1:$(pg_port "$i")
  connect_address: 127.0.0.1:$(pg_port "$i")
  data_dir: $HA_DIR/data/$name
  bin_dir: $PG_BIN
  pgpass: $HA_DIR/pgpass.$name
  authentication:
    superuser:
      username: postgres
      password: $SUPER_PASS
    replication:
      username: replicator
      password: $REPL_PASS
    rewind:
      username: postgres
      password: $SUPER_PASS
  parameters:
    unix_socket_directories: $HA_DIR/run/$name
EOF
}

running() { [ -f "$HA_DIR/$1.pid" ] && kill -0 "$(cat "$HA_DIR/$1.pid")" 2>/dev/null; }

up() {
	for b in etcd patroni patronictl "$PG_BIN/postgres"; do
		command -v "$b" >/dev/null || { echo "ha.sh: $b is missing: apt-get install -y --no-install-recommends patroni etcd-server etcd-client postgresql-15" >&2; exit 1; }
	done
	if running etcd; then
		echo "ha.sh: already up in $HA_DIR (scripts/ha.sh down first)" >&2
		exit 1
	fi
	mkdir -p "$HA_DIR/data" "$HA_DIR/log"
	for n in "${NODES[@]}"; do mkdir -p "$HA_DIR/run/$n" "$HA_DIR/log/$n"; done
	chmod 700 "$HA_DIR/data"
	[ "$(id -u)" = 0 ] && chown -R postgres: "$HA_DIR"

	spawn etcd "$HA_DIR/log/etcd.log" etcd --name haocha-ha --data-dir "$HA_DIR/etcd" \
		--listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
		--listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
		--initial-cluster "haocha-ha=http://127.0.0.1:$((ETCD_PORT + 1))"
	for _ in $(seq 1 50); do
		ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$ETCD_PORT" endpoint health >/dev/null 2>&1 && break
		sleep 0.2
	done

	for i in "${!NODES[@]}"; do
		node_config "$i"
		[ "$(id -u)" = 0 ] && chown postgres: "$HA_DIR/${NODES[$i]}.yml"
		spawn "${NODES[$i]}" "$HA_DIR/log/${NODES[$i]}.out" patroni "$HA_DIR/${NODES[$i]}.yml"
		# The first node bootstraps alone; the others copy it.
		[ "$i" = 0 ] && wait_for '"role": "master"\|"role": "primary"' 0
	done
	# Every replica streaming, one of them synchronous.
	for _ in $(seq 1 120); do
		list=$(patronictl_ list -f json 2>/dev/null || true)
		if [ "$(grep -o '"State": "\(streaming\|running\)"' <<<"$list" | wc -l)" = "${#NODES[@]}" ] &&
			grep -q '"Role": "Sync Standby"' <<<"$list"; then
			break
		fi
		sleep 1
	done
	local leader_port
	leader_port=$(pg_port "$(leader_index)")
	as_postgres "$PG_BIN/psql" -h "$HA_DIR/run/$(leader)" -p "$leader_port" -U postgres -qAt -v ON_ERROR_STOP=1 <<'EOF'
SELECT 'CREATE ROLE haocha LOGIN SUPERUSER PASSWORD ''haocha''' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'haocha')\gexec
SELECT 'CREATE DATABASE haocha OWNER haocha' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'haocha')\gexec
EOF
	patronictl_ list
	dsn
}

# wait_for PATTERN i waits until node i's REST API answers with PATTERN.
wait_for() {
	for _ in $(seq 1 120); do
		curl -s "http://127.0.0.1:$(api_port "$2")/patroni" 2>/dev/null | grep -q "$1" && return 0
		sleep 0.5
	done
	echo "ha.sh: ${NODES[$2]} did not become $1; see $HA_DIR/log" >&2
	exit 1
}

leader() { patronictl_ list -f json | tr '{' '\n' | grep '"Role": "Leader"' | sed 's/.*"Member": "\([^"]*\)".*/\1/'; }

leader_index() {
	local l
	l=$(leader)
	for i in "${!NODES[@]}"; do [ "${NODES[$i]}" = "$l" ] && echo "$i"; done
}

down() {
	for n in "${NODES[@]}"; do
		running "$n" && kill "$(cat "$HA_DIR/$n.pid")"
	done
	for n in "${NODES[@]}"; do
		for _ in $(seq 1 100); do running "$n" || break; sleep 0.2; done
		if running "$n"; then kill -9 "$(cat "$HA_DIR/$n.pid")"; fi
		# A postmaster Patroni left behind (its own parent killed first).
		pid=$(head -1 "$HA_DIR/data/$n/postmaster.pid" 2>/dev/null || true)
		if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
	done
	if running etcd; then
		kill "$(cat "$HA_DIR/etcd.pid")"
		for _ in $(seq 1 50); do running etcd || break; sleep 0.1; done
	fi
	for n in etcd "${NODES[@]}"; do
		if running "$n"; then
			echo "ha.sh: $n (pid $(cat "$HA_DIR/$n.pid")) still runs: $HA_DIR left in place" >&2
			exit 1
		fi
	done
	case "$HA_DIR" in /tmp/*) rm -rf "$HA_DIR" ;; *) echo "ha.sh: left $HA_DIR in place (not under /tmp)" ;; esac
}

case "${1:-}" in
up) up ;;
down) down ;;
status) patronictl_ list ;;
dsn) dsn ;;
leader) leader ;;
*)
	echo "usage: $0 up|down|status|dsn|leader" >&2
	exit 2
	;;
esac
