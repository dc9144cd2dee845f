/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_host.c - the host exception port: the TUN device and the kernel side of it (see
 * dp_host.h). Main thread only, at start and at stop.
 *
 * The kernel side is set up with iproute2 ("ip -batch -", its commands written to a
 * pipe): the interface up, every SBC address on it as a host address, a routing table
 * holding one default route through it, and a policy rule per address sending what the
 * host emits from that address to that table. Rules outlive the interface, so stale
 * ones (from a crash) are removed before, and ours after. An nftables guard (see
 * kernel_guard) keeps the host from taking packets for those addresses anywhere but
 * from the TUN.
 */
#include <errno.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include "dp.h"
#include "dp_host.h"
#include "dp_port.h"
#include "sbc_log.h"

#define SCRIPT_LEN 8192
#define RULE_PREF 1000

extern char **environ;

/*
 * Runs argv (argv[0] looked up in PATH) with script on its standard input. Returns 0,
 * or -1 with the first line it wrote (or why it could not run) in err.
 */
static int
run_script(char *const *argv, const char *script, char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	int in[2], er[2], status = 0, rc;
	size_t len = strlen(script), off = 0, got = 0;
	char buf[512], sink[512];
	ssize_t n;
	pid_t pid;

	if (pipe(in) != 0 || pipe(er) != 0) {
		snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, er[1], 2);
	posix_spawn_file_actions_adddup2(&fa, er[1], 1);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, er[0]);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(er[1]);
	if (rc != 0) {
		close(in[1]);
		close(er[0]);
		snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(rc));
		return -1;
	}
	while (off < len && (n = write(in[1], script + off, len - off)) > 0)
		off += (size_t)n;
	close(in[1]);
	/* Keep the start of what ip says, read the rest to its end. */
	while ((n = read(er[0], got < sizeof(buf) - 1 ? buf + got : sink,
				got < sizeof(buf) - 1 ? sizeof(buf) - 1 - got : sizeof(sink))) > 0)
		if (got < sizeof(buf) - 1)
			got += (size_t)n;
	buf[got] = '\0';
	close(er[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(err, errlen, "%s: %s", argv[0], got ? buf : "failed");
	return -1;
}

/*
 * Runs "ip -4|-6 [-force] -batch -" on script (a family per run: "ip rule" does not
 * tell them from the address); -force goes on past errors.
 */
static int
run_ip(const char *script, int v6, bool force, char *err, size_t errlen)
{
	char *argv[6];
	unsigned int n = 0;

	argv[n++] = "ip";
	argv[n++] = v6 ? "-6" : "-4";
	if (force)
		argv[n++] = "-force";
	argv[n++] = "-batch";
	argv[n++] = "-";
	argv[n] = NULL;
	return run_script(argv, script, err, errlen);
}

/* Runs "nft -f -" on script. */
static int
run_nft(const char *script, char *err, size_t errlen)
{
	char *const argv[] = { "nft", "-f", "-", NULL };

	return run_script(argv, script, err, errlen);
}

/* Appends one formatted line to the script. */
static void __attribute__((format(printf, 3, 4)))
line(char *script, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= SCRIPT_LEN)
		return;
	va_start(ap, fmt);
	n = vsnprintf(script + *off, SCRIPT_LEN - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
}

/* The SBC's addresses of one family: the i-th, or NULL past the last. */
static const struct sbc_ip *
addr_nth(const struct sbc_config *cfg, int v6, unsigned int i)
{
	unsigned int p, n;

	for (p = 0; p < cfg->n_ports; p++) {
		n = v6 ? cfg->ports[p].n_addr6 : cfg->ports[p].n_addr4;
		if (i < n)
			return v6 ? &cfg->ports[p].addr6[i] : &cfg->ports[p].addr4[i];
		i -= n;
	}
	return NULL;
}

/* The policy rules of every SBC address of a family: "add" or "del". */
static void
rules(const struct dp *dp, int v6, const char *verb, char *script, size_t *off)
{
	const struct sbc_ip *ip;
	char a[SBC_IP_STRLEN];
	unsigned int i;

	for (i = 0; (ip = addr_nth(dp->cfg, v6, i)) != NULL; i++)
		line(script, off, "rule %s from %s lookup %u pref %u\n", verb,
				sbc_ip_format(ip, false, a, sizeof(a)), dp->host.table, RULE_PREF);
}

/* Addresses, the route and the rules of one family on the kernel side. */
static int
kernel_family(struct dp *dp, int v6, char *script, char *err, size_t errlen)
{
	const struct sbc_ip *ip;
	char a[SBC_IP_STRLEN], why[256];
	size_t off = 0;
	unsigned int i;

	if (addr_nth(dp->cfg, v6, 0) == NULL)
		return 0;
	rules(dp, v6, "del", script, &off);
	run_ip(script, v6, true, why, sizeof(why)); /* stale rules from a crash: none is fine */
	off = 0;
	line(script, &off, "link set dev %s up\n", dp->host.iface);
	for (i = 0; (ip = addr_nth(dp->cfg, v6, i)) != NULL; i++)
		line(script, &off, "addr add %s/%u dev %s%s\n", sbc_ip_format(ip, false, a, sizeof(a)),
				v6 ? 128 : 32, dp->host.iface, v6 ? " nodad" : "");
	line(script, &off, "route replace %s dev %s table %u\n", v6 ? "::/0" : "0.0.0.0/0",
			dp->host.iface, dp->host.table);
	rules(dp, v6, "add", script, &off);
	if (off >= SCRIPT_LEN) {
		snprintf(err, errlen, "%s: host.iface: too many addresses to configure",
				dp->cfg->path);
		return -1;
	}
	if (run_ip(script, v6, false, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: host.iface = \"%s\": cannot configure the kernel side "
				"(root and iproute2 needed): %s", dp->cfg->path, dp->host.iface, why);
		return -1;
	}
	dp->host.kernel = true;
	return 0;
}

/* The nftables table name of the guard: "sbc_" and the interface name, '_' for '-', '.'. */
static void
guard_name(const struct dp *dp, char *name, size_t len)
{
	char *c;

	snprintf(name, len, "sbc_%s", dp->host.iface);
	for (c = name; *c; c++)
		if (*c == '-' || *c == '.')
			*c = '_';
}

/* The addresses of a family as an nftables set body ("a, b, c"); returns how many. */
static unsigned int
addr_set(const struct dp *dp, int v6, char *buf, size_t len)
{
	const struct sbc_ip *ip;
	char a[SBC_IP_STRLEN];
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; (ip = addr_nth(dp->cfg, v6, i)) != NULL && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
				sbc_ip_format(ip, false, a, sizeof(a)));
	return i;
}

/*
 * The guard: with the SBC's addresses on the TUN, the host's kernel would take packets
 * to them from any of its interfaces (a management NIC, say) and answer ARP for them
 * there, around the firewall. nftables drops, before routing, what is addressed to them
 * unless it comes from the TUN (or from the host itself, on lo), and ARP for them.
 */
static int
kernel_guard(struct dp *dp, char *script, char *err, size_t errlen)
{
	char name[48], set4[2048], set6[4096], why[256];
	unsigned int n4 = addr_set(dp, 0, set4, sizeof(set4));
	unsigned int n6 = addr_set(dp, 1, set6, sizeof(set6));
	size_t off = 0;

	guard_name(dp, name, sizeof(name));
	/* Creating then deleting clears a table a crashed sbcd left, and fails on nothing. */
	line(script, &off, "table inet %s {}\ndelete table inet %s\n", name, name);
	line(script, &off, "table arp %s {}\ndelete table arp %s\n", name, name);
	line(script, &off, "table inet %s {\n\tchain guard {\n\t\ttype filter hook prerouting "
			"priority -300; policy accept;\n", name);
	if (n4 != 0)
		line(script, &off, "\t\tiifname != { \"%s\", \"lo\" } ip daddr { %s } drop\n",
				dp->host.iface, set4);
	if (n6 != 0)
		line(script, &off, "\t\tiifname != { \"%s\", \"lo\" } ip6 daddr { %s } drop\n",
				dp->host.iface, set6);
	line(script, &off, "\t}\n}\n");
	if (n4 != 0)
		line(script, &off, "table arp %s {\n\tchain guard {\n\t\ttype filter hook input "
				"priority 0; policy accept;\n\t\tarp daddr ip { %s } drop\n\t}\n}\n",
				name, set4);
	if (off >= SCRIPT_LEN || run_nft(script, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: host.iface = \"%s\": cannot keep the SBC's addresses off "
				"the host's other interfaces (nftables needed): %s", dp->cfg->path,
				dp->host.iface, off >= SCRIPT_LEN ? "too many addresses" : why);
		return -1;
	}
	dp->host.guard = true;
	return 0;
}

/* Removes the guard's tables. */
static void
guard_down(struct dp *dp)
{
	char name[48], script[256], why[256];

	guard_name(dp, name, sizeof(name));
	snprintf(script, sizeof(script), "delete table inet %s\ndelete table arp %s\n", name,
			name);
	if (run_nft(script, why, sizeof(why)) < 0) {
		/* One of them may not exist (no IPv4 address): remove them one by one. */
		snprintf(script, sizeof(script), "delete table inet %s\n", name);
		run_nft(script, why, sizeof(why));
		snprintf(script, sizeof(script), "delete table arp %s\n", name);
		run_nft(script, why, sizeof(why));
	}
}

/* The kernel side: the guard, then each family's addresses, route and rules. */
static int
kernel_up(struct dp *dp, char *err, size_t errlen)
{
	char *script = malloc(SCRIPT_LEN);
	int rc;

	if (script == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* The guard first: no moment with the addresses on the host and no guard. */
	rc = kernel_guard(dp, script, err, errlen);
	if (rc == 0)
		rc = kernel_family(dp, 0, script, err, errlen);
	if (rc == 0)
		rc = kernel_family(dp, 1, script, err, errlen);
	free(script);
	return rc;
}

/* One RX queue (one lcore polls the kernel's few packets), a TX queue per lcore. */
static int
port_setup(struct dp *dp, uint16_t n_txq, char *why, size_t len)
{
	struct rte_eth_conf conf = { 0 };
	uint16_t q, port = dp->host.port_id;
	int rc;

	rc = rte_eth_dev_configure(port, 1, n_txq, &conf);
	if (rc == 0)
		rc = rte_eth_rx_queue_setup(port, 0, DP_HOST_DESC, (unsigned int)rte_socket_id(),
				NULL, dp->pool);
	for (q = 0; rc == 0 && q < n_txq; q++)
		rc = rte_eth_tx_queue_setup(port, q, DP_HOST_DESC, (unsigned int)rte_socket_id(),
				NULL);
	if (rc == 0) {
		rc = rte_eth_dev_start(port);
		dp->host.started = rc == 0;
	}
	if (rc != 0)
		snprintf(why, len, "cannot set up the TUN port: %s", strerror(-rc));
	return rc;
}

int
dp_host_init(struct dp *dp, uint16_t n_txq, char *err, size_t errlen)
{
	const struct sbc_host_cfg *h = &dp->cfg->host;
	char devargs[96], why[256];
	bool probed = false;

	if (h->iface[0] == '\0')
		return 0;
	snprintf(dp->host.iface, sizeof(dp->host.iface), "%s", h->iface);
	dp->host.table = h->route_table;
	snprintf(devargs, sizeof(devargs), "net_tun_%s,iface=%s", h->iface, h->iface);
	if (dp_port_probe(devargs, &dp->host.port_id, &probed, why, sizeof(why)) < 0)
		goto fail;
	dp->host.open = true;
	if (port_setup(dp, n_txq, why, sizeof(why)) != 0)
		goto fail;
	if (kernel_up(dp, err, errlen) < 0)
		return -1;
	dp->host.on = true;
	DP_LOG(INFO, "host exception path: %s (ethdev %u), replies by routing table %u",
			h->iface, dp->host.port_id, h->route_table);
	return 0;
fail:
	snprintf(err, errlen, "%s: host.iface = \"%s\": %s", dp->cfg->path, h->iface, why);
	return -1;
}

void
dp_host_fini(struct dp *dp)
{
	char why[256];

	if (dp->host.kernel) {
		char *script = malloc(SCRIPT_LEN);
		size_t off = 0;

		int v6;

		for (v6 = 0; script != NULL && v6 < 2; v6++) {
			off = 0;
			rules(dp, v6, "del", script, &off);
			if (off != 0 && run_ip(script, v6, true, why, sizeof(why)) < 0)
				DP_LOG(WARNING, "host.iface %s: removing the policy rules: %s",
						dp->host.iface, why);
		}
		free(script);
	}
	if (dp->host.open)
		dp_port_close(dp->host.port_id, dp->host.iface, dp->host.started, true);
	/* Last: the addresses left the host with the interface. */
	if (dp->host.guard)
		guard_down(dp);
	memset(&dp->host, 0, sizeof(dp->host));
}
