/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbcd.c - the daemon: command line, configuration, EAL, planes, signals, shutdown.
 *
 *   sbcd --config FILE [-- EXTRA-EAL-ARGS...]
 *   sbcd --check-config FILE
 *
 * Threads: the main thread parses the configuration, starts the EAL, then the
 * subsystems in the order of the table `subsystems` (dataplane, signalling lcores,
 * firewall threads, telemetry commands, pid file, the lcores' loops), and is the
 * control thread (the neighbour table's writer) until SIGINT or SIGTERM. EAL adds its
 * own service threads (interrupts, telemetry). SIGHUP reloads the firewall rules.
 * Shutdown, and a failed start alike: the subsystems that started stop in reverse
 * order (the lcores first: every loop sees the stop request and the main thread waits
 * for them), and sbcd checks that every memory zone it made is gone. The next issues'
 * store, events and API threads become rows of the table.
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "dp.h"
#include "mgmt_fw.h"
#include "mgmt_telemetry.h"
#include "sbc_build.h"
#include "sbc_config.h"
#include "sbc_log.h"
#include "sbc_run.h"
#include "sig_lcore.h"

_Static_assert(SBC_LOG_EMERG == RTE_LOG_EMERG && SBC_LOG_DEBUG == RTE_LOG_DEBUG,
		"the configuration's log levels are rte_log's");

#define EXIT_CONFIG 1
#define EXIT_USAGE 2

static void
usage(FILE *f)
{
	fprintf(f, "usage: sbcd --config FILE [-- EAL-ARGUMENTS...]\n"
		   "       sbcd --check-config FILE\n"
		   "       sbcd --version\n"
		   "EAL arguments after -- are appended to the configuration's \"eal\" list.\n");
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		mgmt_fw_sighup(); /* reload the firewall rules */
	else
		sbc_request_quit();
}

/* Creates dir and its parents (mode 0750); returns 0 or -errno. */
static int
mkdir_p(const char *dir)
{
	char tmp[PATH_MAX];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
			return -errno;
		tmp[i] = dir[i];
	}
	return 0;
}

/* Builds argv for rte_eal_init: program name, configured arguments, extra arguments. */
static char **
eal_argv(const char *prog, const struct sbc_config *cfg, int extra_argc, char **extra, int *argc)
{
	char **v = calloc((size_t)(cfg->eal_argc + extra_argc + 2), sizeof(char *));
	int i, n = 0;

	if (v == NULL)
		return NULL;
	v[n++] = (char *)(uintptr_t)prog;
	for (i = 0; i < cfg->eal_argc; i++)
		v[n++] = cfg->eal_argv[i];
	for (i = 0; i < extra_argc; i++)
		v[n++] = extra[i];
	*argc = n;
	return v;
}

/* The configured lcores must be enabled by the EAL arguments and not be the main lcore. */
static int
check_lcores(const struct sbc_config *cfg)
{
	const struct {
		const char *key;
		const unsigned int *ids;
		unsigned int n;
	} sets[] = {
		{ "dataplane", cfg->dp_lcores, cfg->n_dp_lcores },
		{ "signalling", cfg->sig_lcores, cfg->n_sig_lcores },
	};
	unsigned int s, i;

	for (s = 0; s < RTE_DIM(sets); s++)
		for (i = 0; i < sets[s].n; i++) {
			unsigned int l = sets[s].ids[i];

			if (l == rte_get_main_lcore()) {
				fprintf(stderr, "sbcd: %s: lcores.%s[%u] = %u: this is the main "
						"lcore, which runs the control thread; give the plane "
						"another lcore\n", cfg->path, sets[s].key, i, l);
				return -1;
			}
			if (!rte_lcore_is_enabled(l)) {
				fprintf(stderr, "sbcd: %s: lcores.%s[%u] = %u: lcore %u is not "
						"enabled by the EAL arguments (\"eal\": -l/--lcores)\n",
						cfg->path, sets[s].key, i, l, l);
				return -1;
			}
		}
	return 0;
}

static void
write_pidfile(const char *run_dir, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/sbcd.pid", run_dir);
	f = fopen(path, "w");
	if (f == NULL) {
		MGMT_LOG(WARNING, "cannot write %s: %s", path, strerror(errno));
		path[0] = '\0';
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

/* Counts memzones named by sbcd (its pools, rings, tables) that are still allocated. */
static void
count_zone(const struct rte_memzone *mz, void *arg)
{
	if (strstr(mz->name, "sbc_") != NULL)
		(*(unsigned int *)arg)++;
}

/* Number of live allocations in every DPDK heap (hugepage memory). */
static uint64_t
heap_allocs(void)
{
	struct rte_malloc_socket_stats st;
	uint64_t n = 0;
	int i;

	for (i = 0; i < RTE_MAX_HEAPS; i++)
		if (rte_malloc_get_socket_stats(i, &st) == 0)
			n += st.alloc_count;
	return n;
}

/* ---- the life cycle: subsystems started in order, stopped in reverse ------------------- */

/* What the subsystems share while sbcd runs. */
struct sbcd {
	struct sbc_config *cfg;
	struct dp *dp;
	struct sig_lcore *sigs;           /* one per signalling lcore */
	unsigned int n_sigs;              /* how many are set up */
	char pidfile[PATH_MAX + 16];
};

/*
 * A subsystem: start returns 0, or the exit status to stop with (having said why on
 * stderr); stop undoes start and is called only after it succeeded. An optional
 * subsystem that fails is reported and sbcd goes on without it.
 */
struct subsystem {
	const char *name;
	int (*start)(struct sbcd *d);
	void (*stop)(struct sbcd *d);
	bool optional;
};

static int
dataplane_start(struct sbcd *d)
{
	char err[SBC_CFG_ERR_LEN];

	d->dp = calloc(1, sizeof(*d->dp));
	if (d->dp == NULL)
		return EXIT_FAILURE;
	if (dp_init(d->dp, d->cfg, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "sbcd: %s\n", err);
	dp_fini(d->dp);
	free(d->dp);
	d->dp = NULL;
	return EXIT_CONFIG;
}

static void
dataplane_stop(struct sbcd *d)
{
	dp_fini(d->dp);
	free(d->dp);
	d->dp = NULL;
}

static void
signalling_stop(struct sbcd *d)
{
	while (d->n_sigs > 0)
		sig_lcore_fini(&d->sigs[--d->n_sigs]);
}

static int
signalling_start(struct sbcd *d)
{
	static struct sig_lcore sigs[SBC_CFG_MAX_LCORES];
	const struct sbc_config *cfg = d->cfg;
	int rc;

	d->sigs = sigs;
	for (d->n_sigs = 0; d->n_sigs < cfg->n_sig_lcores; d->n_sigs++) {
		rc = sig_lcore_init(&sigs[d->n_sigs], d->dp, cfg, d->n_sigs,
				cfg->sig_lcores[d->n_sigs]);
		if (rc < 0) {
			fprintf(stderr, "sbcd: signalling lcore %u: %s\n", cfg->sig_lcores[d->n_sigs],
					rc == -EIO ? "no randomness from the system" : "out of memory");
			signalling_stop(d);
			return EXIT_FAILURE;
		}
	}
	return 0;
}

static int
firewall_start(struct sbcd *d)
{
	int rc = mgmt_fw_start(d->dp, d->cfg);

	if (rc == 0)
		return 0;
	fprintf(stderr, "sbcd: cannot start the firewall control thread: %s\n",
			strerror(rc < 0 ? -rc : rc));
	return EXIT_FAILURE;
}

static void
firewall_stop(struct sbcd *d)
{
	(void)d;
	mgmt_fw_stop();
}

static int
telemetry_start(struct sbcd *d)
{
	int rc = mgmt_telemetry_init(d->dp, d->cfg);

	if (rc == 0)
		rc = mgmt_fw_telemetry_init();
	if (rc == 0)
		return 0;
	MGMT_LOG(WARNING, "telemetry commands not registered: %s", strerror(-rc));
	mgmt_telemetry_stop();
	return EXIT_FAILURE;
}

static void
telemetry_stop(struct sbcd *d)
{
	(void)d;
	mgmt_telemetry_stop();
}

static int
pidfile_start(struct sbcd *d)
{
	write_pidfile(d->cfg->run_dir, d->pidfile, sizeof(d->pidfile));
	return 0; /* a missing pid file is logged, not fatal */
}

static void
pidfile_stop(struct sbcd *d)
{
	if (d->pidfile[0])
		unlink(d->pidfile);
}

/* The polling lcores run until the stop request; stopping waits for every one. */
static int
lcores_start(struct sbcd *d)
{
	unsigned int i;

	for (i = 0; i < d->dp->n_lcores; i++)
		rte_eal_remote_launch(dp_lcore_main, d->dp->lcores[i], d->dp->lcores[i]->lcore_id);
	for (i = 0; i < d->n_sigs; i++)
		rte_eal_remote_launch(sig_lcore_main, &d->sigs[i], d->sigs[i].lcore_id);
	return 0;
}

static void
lcores_stop(struct sbcd *d)
{
	(void)d;
	sbc_request_quit();
	rte_eal_mp_wait_lcore();
}

/* Started top to bottom, stopped bottom to top. */
static const struct subsystem subsystems[] = {
	{ "dataplane", dataplane_start, dataplane_stop, false },
	{ "signalling", signalling_start, signalling_stop, false },
	{ "firewall", firewall_start, firewall_stop, false },
	{ "telemetry", telemetry_start, telemetry_stop, true },
	{ "pid file", pidfile_start, pidfile_stop, false },
	{ "lcores", lcores_start, lcores_stop, false },
};

static int
run(struct sbc_config *cfg)
{
	struct sbcd d = { .cfg = cfg };
	bool up[RTE_DIM(subsystems)] = { false };
	struct timespec tick = { .tv_sec = 0, .tv_nsec = 1000 * 1000 };
	uint64_t allocs_before = heap_allocs(), allocs_after;
	unsigned int i, zones = 0;
	int rc = 0;

	for (i = 0; i < RTE_DIM(subsystems) && rc == 0; i++) {
		rc = subsystems[i].start(&d);
		up[i] = rc == 0;
		if (rc != 0 && subsystems[i].optional)
			rc = 0;
	}
	if (rc == 0) {
		MGMT_LOG(NOTICE, "sbcd %s running: %u ports, %u dataplane and %u signalling lcores",
				SBC_VERSION, cfg->n_ports, cfg->n_dp_lcores, cfg->n_sig_lcores);
		/* The main thread is the control thread until the stop request. */
		while (!sbc_quit_requested()) {
			dp_ctl_poll(d.dp);
			nanosleep(&tick, NULL);
		}
		MGMT_LOG(NOTICE, "stopping");
	}
	for (i = RTE_DIM(subsystems); i-- > 0;)
		if (up[i])
			subsystems[i].stop(&d);
	if (rc != 0)
		return rc;
	/*
	 * Every pool, ring and table sbcd made must be gone. The heap count is shown too:
	 * what it keeps above the start value is held by the EAL and PMDs (ethdev's shared
	 * port data, per-queue buffers of some vdevs), released by rte_eal_cleanup().
	 */
	rte_memzone_walk(count_zone, &zones);
	allocs_after = heap_allocs();
	MGMT_LOG(NOTICE, "stopped: ports closed, %u sbc memory zones left, DPDK heap allocations "
			"%" PRIu64 " at start and %" PRIu64 " now", zones, allocs_before, allocs_after);
	return zones == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", required_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	struct sbc_config cfg;
	char err[SBC_CFG_ERR_LEN];
	struct sigaction sa;
	bool check_only = false;
	char **eargv;
	int opt, eargc, rc;

	while ((opt = getopt_long(argc, argv, "+c:C:Vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'C':
			path = optarg;
			check_only = true;
			break;
		case 'V':
			printf("sbcd %s\n", SBC_VERSION);
			return EXIT_SUCCESS;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (path == NULL) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (sbc_config_load(path, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "sbcd: %s\n", err);
		return EXIT_CONFIG;
	}
	if (check_only) {
		printf("%s: configuration OK\n", path);
		sbc_config_free(&cfg);
		return EXIT_SUCCESS;
	}
	{
		const char *keys[] = { "run_dir", "data_dir" }, *dirs[] = { cfg.run_dir, cfg.data_dir };
		int k;

		for (k = 0; k < 2; k++) {
			rc = mkdir_p(dirs[k]);
			if (rc == 0)
				continue;
			fprintf(stderr, "sbcd: %s: %s = \"%s\": cannot create the directory: %s\n",
					path, keys[k], dirs[k], strerror(-rc));
			sbc_config_free(&cfg);
			return EXIT_CONFIG;
		}
	}

	eargv = eal_argv(argv[0], &cfg, argc - optind, argv + optind, &eargc);
	if (eargv == NULL || rte_eal_init(eargc, eargv) < 0) {
		fprintf(stderr, "sbcd: EAL initialisation failed: %s (check \"eal\" in %s)\n",
				eargv ? rte_strerror(rte_errno) : "out of memory", path);
		free(eargv);
		sbc_config_free(&cfg);
		return EXIT_CONFIG;
	}
	rte_log_set_global_level((uint32_t)cfg.log_level);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (check_lcores(&cfg) < 0)
		rc = EXIT_CONFIG;
	else
		rc = run(&cfg);

	sbc_stats_release_all();
	rte_eal_cleanup();
	free(eargv);
	sbc_config_free(&cfg);
	return rc;
}
