/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_config.c - configuration validation: every error names the file, the key (as a
 * path) and, where there is one, the value; valid files get the documented defaults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "sbc_config.h"

#define LC "\"lcores\":{\"dataplane\":[1],\"signalling\":[2]}"
#define P0 "{\"name\":\"a\",\"devargs\":\"net_null0\",\"ipv4\":[\"192.0.2.1/24\"]}"
#define P1 "{\"name\":\"b\",\"devargs\":\"net_null1\",\"ipv4\":[\"198.51.100.1/24\"]}"
/* A valid configuration with one port whose members are given. */
#define PORT(members) "{" LC ",\"ports\":[{\"name\":\"a\",\"devargs\":\"net_null0\"," members "}]}"
#define TOP(members) "{" LC ",\"ports\":[" P0 "]," members "}"
/* Two SIP ports (a: 192.0.2.1/24, b: 198.51.100.1/24 without SIP) and one route. */
#define ROUTE_CFG(route)                                                                           \
	"{" LC ",\"ports\":[{\"name\":\"a\",\"devargs\":\"n0\",\"ipv4\":[\"192.0.2.1/24\"],"                  \
	"\"sip_udp_port\":5060},{\"name\":\"b\",\"devargs\":\"n1\",\"ipv4\":[\"198.51.100.1/24\"]}],"      \
	"\"routes\":[{\"from\":\"a\"," route "}]}"

struct bad_case {
	const char *json;
	const char *expect; /* substring of the message after "test.json: " */
};

static const struct bad_case bad[] = {
	{ "{", "test.json:1:" },
	{ "{\"a\":1,\"a\":2}", "duplicate object key" },
	{ "[1]", "(top level) = [1]: the configuration must be a JSON object" },
	{ TOP("\"foo\":1"), "foo = 1: unknown key (known keys: eal, lcores, ports" },
	{ "{\"ports\":[" P0 "]}", "lcores: missing (required object)" },
	{ "{\"lcores\":1,\"ports\":[" P0 "]}", "lcores = 1: must be an object" },
	{ "{\"lcores\":{\"dataplane\":[1],\"signalling\":[2],\"workers\":[3]},\"ports\":[" P0 "]}",
			"lcores.workers = [3]: unknown key" },
	{ "{\"lcores\":{\"signalling\":[2]},\"ports\":[" P0 "]}",
			"lcores.dataplane: missing (required list)" },
	{ "{\"lcores\":{\"dataplane\":[],\"signalling\":[2]},\"ports\":[" P0 "]}",
			"lcores.dataplane = []: needs at least 1 element" },
	{ "{\"lcores\":{\"dataplane\":[1],\"signalling\":[]},\"ports\":[" P0 "]}",
			"lcores.signalling = []: needs at least 1 element" },
	{ "{\"lcores\":{\"dataplane\":[200],\"signalling\":[2]},\"ports\":[" P0 "]}",
			"lcores.dataplane[0] = 200: out of range (must be from 0 to 127)" },
	{ "{\"lcores\":{\"dataplane\":[\"1\"],\"signalling\":[2]},\"ports\":[" P0 "]}",
			"lcores.dataplane[0] = \"1\": must be an integer" },
	{ "{\"lcores\":{\"dataplane\":[1,3,1],\"signalling\":[2]},\"ports\":[" P0 "]}",
			"lcores.dataplane[2] = 1: lcore listed twice" },
	{ "{\"lcores\":{\"dataplane\":[1,2],\"signalling\":[2]},\"ports\":[" P0 "]}",
			"lcores.signalling[0] = 2: lcore 2 is already lcores.dataplane[1]" },
	{ "{\"lcores\":{\"dataplane\":-1,\"signalling\":[2]},\"ports\":[" P0 "]}",
			"lcores.dataplane = -1: must be a list" },
	{ "{" LC "}", "ports: missing (required list)" },
	{ "{" LC ",\"ports\":[]}", "ports = []: needs at least 1 element" },
	{ "{" LC ",\"ports\":[" P0 "," P0 "," P0 "," P0 "," P0 "," P0 "," P0 "," P0 "," P0 "]}",
			"ports = [{\"name\"" },
	{ "{" LC ",\"ports\":[5]}", "ports[0] = 5: must be an object" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"iface\":\"eth0\""),
			"ports[0].iface = \"eth0\": unknown key (known keys: name, devargs" },
	{ "{" LC ",\"ports\":[{\"devargs\":\"x\",\"ipv4\":[\"192.0.2.1/24\"]}]}",
			"ports[0].name: missing (required string)" },
	{ "{" LC ",\"ports\":[{\"name\":\"a b\",\"devargs\":\"x\"}]}",
			"ports[0].name = \"a b\": only letters, digits, '_' and '-' are allowed" },
	{ "{" LC ",\"ports\":[{\"name\":\"abcdefghijklmnopq\",\"devargs\":\"x\"}]}",
			"ports[0].name = \"abcdefghijklmnopq\": too long (at most 15 characters)" },
	{ "{" LC ",\"ports\":[{\"name\":7,\"devargs\":\"x\"}]}", "ports[0].name = 7: must be a string" },
	{ "{" LC ",\"ports\":[{\"name\":\"a\",\"ipv4\":[\"192.0.2.1/24\"]}]}",
			"ports[0].devargs: missing (required string)" },
	{ "{" LC ",\"ports\":[{\"name\":\"a\",\"devargs\":\"\"}]}",
			"ports[0].devargs = \"\": must not be empty" },
	{ PORT("\"vlan\":1"), "ports[0]: has no address (give ipv4, ipv6 or both)" },
	{ PORT("\"ipv4\":[\"192.0.2.300/24\"]"),
			"ports[0].ipv4[0] = \"192.0.2.300/24\": not an IPv4 address with prefix" },
	{ PORT("\"ipv4\":[\"192.0.2.1\"]"),
			"ports[0].ipv4[0] = \"192.0.2.1\": not an IPv4 address with prefix" },
	{ PORT("\"ipv4\":[\"192.0.2.1/33\"]"), "ports[0].ipv4[0] = \"192.0.2.1/33\": not an IPv4" },
	{ PORT("\"ipv4\":[\"192.0.2.1/0\"]"), "ports[0].ipv4[0] = \"192.0.2.1/0\": prefix length 0" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24x\"]"), "ports[0].ipv4[0] = \"192.0.2.1/24x\": not an IPv4" },
	{ PORT("\"ipv4\":[\"2001:db8::1/64\"]"), "ports[0].ipv4[0] = \"2001:db8::1/64\": not an IPv4" },
	{ PORT("\"ipv4\":[\"224.0.0.1/24\"]"), "ports[0].ipv4[0] = \"224.0.0.1/24\": not a unicast" },
	{ PORT("\"ipv4\":[\"127.0.0.1/8\"]"), "ports[0].ipv4[0] = \"127.0.0.1/8\": not a unicast" },
	{ PORT("\"ipv4\":[\"192.0.2.0/24\"]"),
			"ports[0].ipv4[0] = \"192.0.2.0/24\": is the network or broadcast address" },
	{ PORT("\"ipv4\":[\"192.0.2.255/24\"]"), "ports[0].ipv4[0] = \"192.0.2.255/24\": is the network" },
	{ PORT("\"ipv4\":[5]"), "ports[0].ipv4[0] = 5: not an IPv4 address with prefix" },
	{ PORT("\"ipv4\":[]"), "ports[0].ipv4 = []: needs at least 1 element" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\",\"192.0.2.1/25\"]"),
			"ports[0].ipv4[1] = \"192.0.2.1/25\": same address as ports[0].ipv4[0]" },
	{ PORT("\"ipv6\":[\"2001:db8::g/64\"]"),
			"ports[0].ipv6[0] = \"2001:db8::g/64\": not an IPv6 address with prefix" },
	{ PORT("\"ipv6\":[\"fe80::1/64\"]"), "ports[0].ipv6[0] = \"fe80::1/64\": is link-local" },
	{ PORT("\"ipv6\":[\"ff02::1/64\"]"), "ports[0].ipv6[0] = \"ff02::1/64\": is a multicast" },
	{ PORT("\"ipv6\":[\"::1/128\"]"), "ports[0].ipv6[0] = \"::1/128\": is the unspecified or loopback" },
	{ PORT("\"ipv6\":[\"::ffff:192.0.2.1/128\"]"), "ports[0].ipv6[0] = \"::ffff:192.0.2.1/128\": is an IPv4-mapped" },
	{ PORT("\"ipv6\":[\"2001:db8::1/129\"]"), "ports[0].ipv6[0] = \"2001:db8::1/129\": not an IPv6" },
	{ PORT("\"ipv6\":[\"2001:db8::1/64\"],\"mtu\":1000"),
			"ports[0].mtu = 1000: IPv6 needs an MTU of at least 1280" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"gateway4\":\"x\""),
			"ports[0].gateway4 = \"x\": not an IPv4 address" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"gateway4\":\"192.0.2.254/24\""),
			"ports[0].gateway4 = \"192.0.2.254/24\": not an IPv4 address" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"gateway4\":\"198.51.100.1\""),
			"ports[0].gateway4 = \"198.51.100.1\": not inside any of the port's ipv4 prefixes" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"gateway4\":\"192.0.2.1\""),
			"ports[0].gateway4 = \"192.0.2.1\": is one of the port's own addresses" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"gateway4\":\"192.0.2.255\""),
			"ports[0].gateway4 = \"192.0.2.255\": is the network or broadcast address of ipv4[0]'s prefix" },
	{ PORT("\"ipv6\":[\"2001:db8::1/64\"],\"gateway4\":\"192.0.2.9\""),
			"ports[0].gateway4 = \"192.0.2.9\": the port has no ipv4 address" },
	{ PORT("\"ipv6\":[\"2001:db8::1/64\"],\"gateway6\":\"2001:db9::1\""),
			"ports[0].gateway6 = \"2001:db9::1\": not inside any of the port's ipv6" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"vlan\":4095"),
			"ports[0].vlan = 4095: out of range (must be from 0 to 4094)" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"vlan\":true"), "ports[0].vlan = true: must be an integer" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"mtu\":9001"), "ports[0].mtu = 9001: out of range" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"rx_desc\":10"), "ports[0].rx_desc = 10: out of range" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"tx_desc\":100000"), "ports[0].tx_desc = 100000: out of range" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"rx_queues\":65"), "ports[0].rx_queues = 65: out of range" },
	{ "{" LC ",\"ports\":[" P0 ",{\"name\":\"a\",\"devargs\":\"n1\",\"ipv4\":[\"198.51.100.1/24\"]}]}",
			"ports[1].name = \"a\": same name as ports[0]" },
	{ "{" LC ",\"ports\":[" P0 ",{\"name\":\"b\",\"devargs\":\"net_null0\",\"ipv4\":[\"198.51.100.1/24\"]}]}",
			"ports[1].devargs = \"net_null0\": same device as ports[0]" },
	{ "{" LC ",\"ports\":[" P0 ",{\"name\":\"b\",\"devargs\":\"n1\",\"ipv4\":[\"192.0.2.9/25\"]}]}",
			"ports[1].ipv4[0] = \"192.0.2.9/25\": overlaps ports[0].ipv4[0]" },
	{ "{" LC ",\"ports\":[{\"name\":\"a\",\"devargs\":\"n0\",\"ipv4\":[\"192.0.2.1/24\"],"
	  "\"gateway4\":\"192.0.2.9\"},{\"name\":\"b\",\"devargs\":\"n1\",\"ipv4\":[\"198.51.100.1/24\"],"
	  "\"gateway4\":\"198.51.100.9\"}]}",
			"ports[1].gateway4 = \"198.51.100.9\": only one port may have an IPv4 gateway" },
	{ TOP("\"eal\":\"-l 0\""), "eal = \"-l 0\": must be a list" },
	{ TOP("\"eal\":[\"-l\",5]"), "eal[1] = 5: must be a non-empty string" },
	{ TOP("\"eal\":[\"\"]"), "eal[0] = \"\": must be a non-empty string" },
	{ TOP("\"dataplane\":[]"), "dataplane = []: must be an object" },
	{ TOP("\"dataplane\":{\"bursts\":32}"), "dataplane.bursts = 32: unknown key" },
	{ TOP("\"dataplane\":{\"burst\":0}"), "dataplane.burst = 0: out of range (must be from 1 to 256)" },
	{ TOP("\"dataplane\":{\"burst\":1.5}"), "dataplane.burst = 1.5: must be an integer" },
	{ TOP("\"dataplane\":{\"idle_sleep\":\"yes\"}"), "dataplane.idle_sleep = \"yes\": must be true or false" },
	{ TOP("\"dataplane\":{\"mbufs\":100}"), "dataplane.mbufs = 100: too small" },
	{ TOP("\"dataplane\":{\"idle_max_us\":0}"), "dataplane.idle_max_us = 0: out of range" },
	{ TOP("\"dataplane\":{\"tx_drain_us\":20000}"), "dataplane.tx_drain_us = 20000: out of range" },
	{ TOP("\"neighbours\":{\"probes\":0}"), "neighbours.probes = 0: out of range" },
	{ TOP("\"neighbours\":{\"max_entries\":10}"), "neighbours.max_entries = 10: out of range" },
	{ TOP("\"neighbours\":{\"ttl\":10}"), "neighbours.ttl = 10: unknown key" },
	{ TOP("\"neighbours\":5"), "neighbours = 5: must be an object" },
	{ TOP("\"log_level\":\"loud\""), "log_level = \"loud\": unknown level" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"sip_udp_port\":70000"),
			"ports[0].sip_udp_port = 70000: out of range" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"media_nat\":1"), "ports[0].media_nat = 1: must be true or false" },
	{ TOP("\"sip\":{\"t1\":5}"), "sip.t1 = 5: unknown key" },
	{ TOP("\"sip\":{\"t1_ms\":10}"), "sip.t1_ms = 10: out of range" },
	{ TOP("\"sip\":{\"t1_ms\":500,\"t2_ms\":400}"), "sip.t2_ms = 400: must not be below sip.t1_ms" },
	{ TOP("\"sip\":{\"ring_size\":1000}"), "sip.ring_size = 1000: must be a power of two" },
	{ TOP("\"sip\":{\"strip_headers\":[\"X Y\"]}"), "sip.strip_headers[0] = \"X Y\": not a header name" },
	{ TOP("\"sip\":{\"strip_headers\":\"User-Agent\"}"), "sip.strip_headers = \"User-Agent\": must be a list" },
	{ TOP("\"media\":{\"port_min\":20001}"), "media.port_min = 20001: must be even" },
	{ TOP("\"media\":{\"port_min\":20000,\"port_max\":20002}"),
			"media.port_max = 20002: must leave at least two port pairs" },
	{ TOP("\"media\":{\"port_min\":100}"), "media.port_min = 100: out of range" },
	{ PORT("\"ipv4\":[\"192.0.2.1/24\"],\"sip_udp_port\":20000"),
			"ports[0].sip_udp_port = 20000: inside the media port range 20000-39999" },
	{ TOP("\"routes\":{}"), "routes = {}: must be a list" },
	{ TOP("\"routes\":[{\"to\":\"192.0.2.9\"}]"), "routes[0].from: missing" },
	{ TOP("\"routes\":[{\"from\":\"zz\",\"to\":\"192.0.2.9\"}]"),
			"routes[0].from = \"zz\": no port has this name" },
	{ TOP("\"routes\":[{\"from\":\"a\",\"to\":\"192.0.2.9\"}]"),
			"routes[0].from = \"a\": this port has no sip_udp_port" },
	{ ROUTE_CFG("\"to\":\"198.51.100.9:99999\""), "routes[0].to = \"198.51.100.9:99999\": not an address" },
	{ ROUTE_CFG("\"to\":\"[2001:db8::9\""), "routes[0].to = \"[2001:db8::9\": not an address" },
	{ ROUTE_CFG("\"to\":\"203.0.113.9\""), "routes[0].to = \"203.0.113.9\": no port reaches this address" },
	{ ROUTE_CFG("\"to\":\"198.51.100.9\",\"via\":\"b\""), "routes[0].via = \"b\": port b has no sip_udp_port" },
	{ ROUTE_CFG("\"to\":\"198.51.100.9\",\"via\":\"q\""), "routes[0].via = \"q\": no port has this name" },
	{ ROUTE_CFG("\"to\":\"[2001:db8::9]:5060\",\"via\":\"a\""), "routes[0].to = \"[2001:db8::9]:5060\": port a has no IPv6 address" },
	{ ROUTE_CFG("\"to\":\"198.51.100.9\",\"via\":\"a\"},{\"from\":\"a\",\"to\":\"198.51.100.8\""),
			"routes[1].from = \"a\": routes[0] already routes calls from this port" },
	{ ROUTE_CFG("\"to\":\"198.51.100.9\",\"via\":\"a\",\"weight\":1"), "routes[0].weight = 1: unknown key" },
	{ TOP("\"run_dir\":\"\""), "run_dir = \"\": must not be empty" },
	{ TOP("\"data_dir\":5"), "data_dir = 5: must be a string" },
};

static void
test_bad_configs(void **state)
{
	char err[SBC_CFG_ERR_LEN];
	struct sbc_config cfg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = sbc_config_parse(bad[i].json, "test.json", &cfg, err, sizeof(err));

		if (rc != -1 || strncmp(err, "test.json", 9) != 0 || strstr(err, bad[i].expect) == NULL) {
			print_error("case %zu: %s\n  expected: %s\n  got (rc %d): %s\n", i, bad[i].json,
					bad[i].expect, rc, err);
			fail();
		}
		/* A failed parse leaves nothing allocated. */
		assert_null(cfg.eal_argv);
	}
}

static void
test_defaults(void **state)
{
	char err[SBC_CFG_ERR_LEN];
	struct sbc_config cfg;

	(void)state;
	assert_int_equal(sbc_config_parse(TOP("\"eal\":[\"--no-pci\"]"), "t.json", &cfg, err,
					 sizeof(err)),
			0);
	assert_int_equal(cfg.eal_argc, 1);
	assert_string_equal(cfg.eal_argv[0], "--no-pci");
	assert_null(cfg.eal_argv[1]);
	assert_int_equal(cfg.n_dp_lcores, 1);
	assert_int_equal(cfg.dp_lcores[0], 1);
	assert_int_equal(cfg.sig_lcores[0], 2);
	assert_int_equal(cfg.n_ports, 1);
	assert_string_equal(cfg.ports[0].name, "a");
	assert_int_equal(cfg.ports[0].mtu, 1500);
	assert_int_equal(cfg.ports[0].vlan, 0);
	assert_int_equal(cfg.ports[0].rx_desc, 1024);
	assert_int_equal(cfg.ports[0].rx_queues, 0);
	assert_int_equal(cfg.ports[0].n_addr4, 1);
	assert_int_equal(cfg.ports[0].addr4[0].plen, 24);
	assert_int_equal(cfg.ports[0].n_addr6, 0);
	assert_false(cfg.ports[0].has_gw4);
	assert_int_equal(cfg.dp.burst, 32);
	assert_int_equal(cfg.dp.mbufs, 0);
	assert_false(cfg.dp.idle_sleep);
	assert_int_equal(cfg.neigh.max_entries, 4096);
	assert_int_equal(cfg.neigh.reachable_s, 30);
	assert_int_equal(cfg.neigh.probes, 3);
	assert_string_equal(cfg.run_dir, "/run/sbc");
	assert_string_equal(cfg.data_dir, "/var/lib/sbc");
	assert_int_equal(cfg.log_level, SBC_LOG_INFO);
	assert_int_equal(cfg.sip.t1_ms, 500);
	assert_int_equal(cfg.sip.t2_ms, 4000);
	assert_true(cfg.sip.n_strip > 5);
	assert_string_equal(cfg.sip.strip[0], "User-Agent");
	assert_true(cfg.sip.pass_unknown);
	assert_int_equal(cfg.media.port_min, 20000);
	assert_int_equal(cfg.media.port_max, 39999);
	assert_int_equal(cfg.n_routes, 0);
	assert_int_equal(cfg.ports[0].sip_udp_port, 0);
	assert_int_equal(sbc_config_port_index(&cfg, "a"), 0);
	assert_int_equal(sbc_config_port_index(&cfg, "zz"), -1);
	sbc_config_free(&cfg);
}

static void
test_full(void **state)
{
	const char *json = "{\"eal\":[\"-l\",\"0-3\"],"
			   "\"lcores\":{\"dataplane\":[1,2],\"signalling\":[3]},"
			   "\"ports\":[" P0 ",{\"name\":\"core\",\"devargs\":\"net_null1\","
			   "\"ipv4\":[\"198.51.100.1/24\",\"203.0.113.1/28\"],"
			   "\"ipv6\":[\"2001:db8:c::1/64\"],\"gateway4\":\"203.0.113.14\","
			   "\"gateway6\":\"fe80::1\",\"vlan\":100,\"mtu\":9000,\"rx_queues\":4}],"
			   "\"dataplane\":{\"burst\":64,\"mbufs\":65535,\"idle_sleep\":true,"
			   "\"idle_polls\":10,\"idle_max_us\":100,\"tx_drain_us\":50},"
			   "\"neighbours\":{\"max_entries\":128,\"reachable_s\":5,\"stale_s\":7,"
			   "\"retransmit_ms\":200,\"probes\":2},"
			   "\"run_dir\":\"r\",\"data_dir\":\"d\",\"log_level\":\"debug\"}";
	char err[SBC_CFG_ERR_LEN], buf[SBC_IP_STRLEN];
	struct sbc_config cfg;

	(void)state;
	if (sbc_config_parse(json, "t.json", &cfg, err, sizeof(err)) != 0) {
		print_error("%s\n", err);
		fail();
	}
	assert_int_equal(cfg.n_dp_lcores, 2);
	assert_int_equal(cfg.ports[1].n_addr4, 2);
	assert_string_equal(sbc_ip_format(&cfg.ports[1].addr4[1], true, buf, sizeof(buf)),
			"203.0.113.1/28");
	assert_true(cfg.ports[1].has_gw4);
	assert_string_equal(sbc_ip_format(&cfg.ports[1].gw4, false, buf, sizeof(buf)), "203.0.113.14");
	assert_true(cfg.ports[1].has_gw6);
	assert_int_equal(cfg.ports[1].vlan, 100);
	assert_int_equal(cfg.ports[1].mtu, 9000);
	assert_int_equal(cfg.ports[1].rx_queues, 4);
	assert_int_equal(cfg.dp.burst, 64);
	assert_true(cfg.dp.idle_sleep);
	assert_int_equal(cfg.neigh.retransmit_ms, 200);
	assert_int_equal(cfg.log_level, SBC_LOG_DEBUG);
	sbc_config_free(&cfg);
}

static void
test_routes(void **state)
{
	const char *json = "{" LC ",\"ports\":[{\"name\":\"a\",\"devargs\":\"n0\","
			   "\"ipv4\":[\"192.0.2.1/24\"],\"sip_udp_port\":5060},"
			   "{\"name\":\"b\",\"devargs\":\"n1\",\"ipv4\":[\"198.51.100.1/24\"],"
			   "\"ipv6\":[\"2001:db8:c::1/64\"],\"gateway4\":\"198.51.100.254\","
			   "\"sip_udp_port\":5080,\"media_nat\":true}],"
			   "\"routes\":[{\"from\":\"a\",\"to\":\"[2001:db8:c::10]:5070\"},"
			   "{\"from\":\"b\",\"to\":\"203.0.113.7\"}]}";
	char err[SBC_CFG_ERR_LEN], buf[SBC_IP_STRLEN];
	struct sbc_config cfg;

	(void)state;
	if (sbc_config_parse(json, "t.json", &cfg, err, sizeof(err)) != 0) {
		print_error("%s\n", err);
		fail();
	}
	assert_int_equal(cfg.n_routes, 2);
	assert_int_equal(cfg.routes[0].from, 0);
	assert_int_equal(cfg.routes[0].via, 1); /* the IPv6 subnet of port b */
	assert_string_equal(sbc_ip_format(&cfg.routes[0].dst, false, buf, sizeof(buf)),
			"2001:db8:c::10");
	assert_int_equal(cfg.routes[0].dst_port, 5070);
	assert_int_equal(cfg.routes[1].via, 1); /* off-link: the port with the IPv4 gateway */
	assert_int_equal(cfg.routes[1].dst_port, 5060);
	assert_true(cfg.ports[1].media_nat);
	assert_int_equal(cfg.ports[1].sip_udp_port, 5080);
	sbc_config_free(&cfg);
}

static void
test_load_errors(void **state)
{
	char err[SBC_CFG_ERR_LEN], path[] = "/tmp/sbc-test-config-XXXXXX";
	struct sbc_config cfg;
	int fd;

	(void)state;
	assert_int_equal(sbc_config_load("/nonexistent/sbc.json", &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/sbc.json: cannot open: No such file"));

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"a\":\0}", 7), 7);
	close(fd);
	assert_int_equal(sbc_config_load(path, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "contains a NUL byte at offset 5"));

	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (65 << 20)), 0);
	close(fd);
	assert_int_equal(sbc_config_load(path, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too large"));
	unlink(path);

	/* The shipped files are valid. */
	assert_int_equal(sbc_config_load(SBC_SOURCE_ROOT "/conf/lab.json", &cfg, err, sizeof(err)),
			0);
	sbc_config_free(&cfg);
	assert_int_equal(sbc_config_load(SBC_SOURCE_ROOT "/conf/example.json", &cfg, err,
					 sizeof(err)),
			0);
	assert_int_equal(cfg.n_ports, 2);
	sbc_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_load_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
