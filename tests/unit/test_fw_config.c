/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_fw_config.c - the "firewall" and "host" sections of the configuration: every
 * refused rule set names the rule and the field; defaults; what a valid set holds
 * (rule order, prefixes of both families, ports, interfaces, rate limits); a reload
 * re-reads the file, refuses a bad set precisely and refuses sizes that need a
 * restart; the security alerts a set raises.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "sbc_config.h"

/* Two SIP ports: a (192.0.2.1/24, 2001:db8:a::1/64, SIP 5060) and b (SIP 5080). */
#define BASE                                                                                       \
	"\"lcores\":{\"dataplane\":[1],\"signalling\":[2]},\"ports\":["                           \
	"{\"name\":\"a\",\"devargs\":\"n0\",\"ipv4\":[\"192.0.2.1/24\"],"                          \
	"\"ipv6\":[\"2001:db8:a::1/64\"],\"sip_udp_port\":5060},"                                \
	"{\"name\":\"b\",\"devargs\":\"n1\",\"ipv4\":[\"198.51.100.1/24\"],\"sip_udp_port\":5080}," \
	"{\"name\":\"c\",\"devargs\":\"n2\",\"ipv4\":[\"203.0.113.1/24\"]}]"
#define FW(members) "{" BASE ",\"firewall\":{" members "}}"
#define SVC(name, members) FW("\"services\":{\"" name "\":{" members "}}")
#define RULES(name, rules) SVC(name, "\"rules\":[" rules "]")

struct bad_case {
	const char *json;
	const char *expect; /* substring of the message after "t.json: " */
};

static const struct bad_case bad[] = {
	{ "{" BASE ",\"firewall\":3}", "firewall = 3: must be an object" },
	{ FW("\"rules\":[]"), "firewall.rules = []: unknown key (known keys: classify, services" },
	{ FW("\"classify\":\"avx9\""), "firewall.classify = \"avx9\": unknown method" },
	{ FW("\"services\":{\"telnet\":{}}"), "firewall.services.telnet = {}: unknown key" },
	{ SVC("sip", "\"default\":\"drop\""), "firewall.services.sip.default = \"drop\": the "
			"default policy is allow or deny" },
	{ SVC("sip", "\"ports\":[5060]"), "firewall.services.sip.ports = [5060]: unknown key" },
	{ SVC("ssh", "\"ports\":[]"), "firewall.services.ssh.ports = []: needs at least 1" },
	{ SVC("ssh", "\"ports\":[22,22]"), "firewall.services.ssh.ports[1] = 22: port listed twice" },
	{ SVC("ssh", "\"ports\":[0]"), "firewall.services.ssh.ports[0] = 0: out of range" },
	{ FW("\"services\":{\"ssh\":{\"ports\":[22]},\"db\":{\"ports\":[5432,22]}}"),
			"firewall.services.db.ports[1] = 22: already a port of the ssh service" },
	{ SVC("web", "\"alert_ack\":\"yes\""), "firewall.services.web.alert_ack = \"yes\": must "
			"be true or false" },
	{ SVC("sip", "\"rules\":{}"), "firewall.services.sip.rules = {}: must be a list" },
	{ RULES("sip", "7"), "firewall.services.sip.rules[0] = 7: must be an object" },
	{ RULES("sip", "{\"src\":\"any\"}"), "firewall.services.sip.rules[0].action: missing" },
	{ RULES("sip", "{\"action\":\"allow\"},{\"action\":\"permit\"}"),
			"firewall.services.sip.rules[1].action = \"permit\": unknown action" },
	{ RULES("sip", "{\"action\":\"allow\",\"sourc\":\"any\"}"),
			"firewall.services.sip.rules[0].sourc = \"any\": unknown key" },
	{ RULES("ssh", "{\"action\":\"allow\",\"src\":\"10.0.0.0/33\"}"),
			"firewall.services.ssh.rules[0].src = \"10.0.0.0/33\": not an IPv4 or IPv6" },
	{ RULES("ssh", "{\"action\":\"allow\",\"src\":[\"192.0.2.0/24\",\"2001:db8::/129\"]}"),
			"firewall.services.ssh.rules[0].src[1] = \"2001:db8::/129\": not an IPv4" },
	{ RULES("ssh", "{\"action\":\"allow\",\"src\":\"192.0.2.7/24\"}"),
			"firewall.services.ssh.rules[0].src = \"192.0.2.7/24\": host bits set beyond "
			"/24 (the prefix is 192.0.2.0/24)" },
	{ RULES("ssh", "{\"action\":\"allow\",\"src\":\"2001:db8::1/64\"}"),
			"rules[0].src = \"2001:db8::1/64\": host bits set beyond /64 (the prefix is "
			"2001:db8::/64)" },
	{ RULES("ssh", "{\"action\":\"allow\",\"src\":[]}"),
			"firewall.services.ssh.rules[0].src = []: needs at least 1 prefix" },
	{ RULES("ssh", "{\"action\":\"allow\",\"src\":[\"any\"]}"),
			"firewall.services.ssh.rules[0].src[0] = \"any\": \"any\" cannot be in a list" },
	{ RULES("ssh", "{\"action\":\"allow\",\"src\":[7]}"),
			"firewall.services.ssh.rules[0].src[0] = 7: must be a prefix string" },
	{ RULES("ssh", "{\"action\":\"allow\",\"port\":\"z\"}"),
			"firewall.services.ssh.rules[0].port = \"z\": no port has this name" },
	{ RULES("sip", "{\"action\":\"allow\",\"port\":\"c\"}"),
			"firewall.services.sip.rules[0].port = \"c\": this port has no sip_udp_port" },
	{ RULES("icmp", "{\"action\":\"allow\",\"ports\":8}"),
			"firewall.services.icmp.rules[0].ports = 8: ICMP has no ports" },
	{ RULES("media", "{\"action\":\"deny\",\"ports\":\"10000-19999\"}"),
			"firewall.services.media.rules[0].ports = \"10000-19999\": outside the media "
			"relay range 20000-39999" },
	{ RULES("media", "{\"action\":\"deny\",\"ports\":\"30000-2000\"}"),
			"rules[0].ports = \"30000-2000\": the range ends before it starts" },
	{ RULES("media", "{\"action\":\"deny\",\"ports\":\"30000-\"}"),
			"rules[0].ports = \"30000-\": must be a port (5060) or a range" },
	{ RULES("media", "{\"action\":\"deny\",\"ports\":\"a\"}"),
			"rules[0].ports = \"a\": must be a port (5060) or a range" },
	{ RULES("media", "{\"action\":\"deny\",\"ports\":70000}"),
			"rules[0].ports = 70000: out of range" },
	{ RULES("ssh", "{\"action\":\"allow\",\"ports\":2222}"),
			"firewall.services.ssh.rules[0].ports = 2222: matches none of the ssh service's "
			"ports (22)" },
	{ RULES("sip", "{\"action\":\"allow\",\"ports\":5080,\"port\":\"a\"}"),
			"firewall.services.sip.rules[0].ports = 5080: matches none of the sip service's "
			"ports (5060)" },
	{ RULES("sip", "{\"action\":\"allow\",\"rate\":5}"),
			"firewall.services.sip.rules[0].rate = 5: only a rate-limit rule has a rate" },
	{ RULES("sip", "{\"action\":\"rate-limit\"}"),
			"firewall.services.sip.rules[0].rate: missing (a rate-limit rule needs packets "
			"per second)" },
	{ RULES("sip", "{\"action\":\"rate-limit\",\"rate\":0}"),
			"firewall.services.sip.rules[0].rate = 0: out of range" },
	{ RULES("sip", "{\"action\":\"rate-limit\",\"rate\":10,\"burst\":0}"),
			"firewall.services.sip.rules[0].burst = 0: out of range" },
	{ RULES("sip", "{\"action\":\"allow\",\"name\":\"\"}"),
			"firewall.services.sip.rules[0].name = \"\": must not be empty" },
	{ FW("\"flood\":{\"sip_rate\":0}"), "firewall.flood.sip_rate = 0: out of range" },
	{ FW("\"flood\":{\"exempt\":[\"192.0.2.1/24\"]}"),
			"firewall.flood.exempt[0] = \"192.0.2.1/24\": host bits set" },
	{ FW("\"flood\":{\"sources\":10}"), "firewall.flood.sources = 10: out of range" },
	{ FW("\"flood\":{\"burst\":10}"), "firewall.flood.burst = 10: unknown key" },
	{ FW("\"blocklist\":{\"window_s\":0}"), "firewall.blocklist.window_s = 0: out of range" },
	{ FW("\"scanners\":[\"\"]"), "firewall.scanners[0] = \"\": must not be empty" },
	{ "{" BASE ",\"host\":{}}", "host.iface: missing (required string)" },
	{ "{" BASE ",\"host\":{\"iface\":\"a b\"}}", "host.iface = \"a b\": not an interface name" },
	{ "{" BASE ",\"host\":{\"iface\":\"abcdefghijklmnop\"}}", "host.iface = \"abcdefghijklmnop\": "
			"too long" },
	{ "{" BASE ",\"host\":{\"iface\":\"h\",\"route_table\":254}}",
			"host.route_table = 254: 253-255 are the kernel's" },
};

static void
test_bad(void **state)
{
	char err[SBC_CFG_ERR_LEN];
	struct sbc_config cfg;
	size_t i;
	unsigned int s;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = sbc_config_parse(bad[i].json, "t.json", &cfg, err, sizeof(err));

		if (rc != -1 || strncmp(err, "t.json: ", 8) != 0 || strstr(err, bad[i].expect) == NULL) {
			print_error("case %zu: %s\n  expected: %s\n  got (rc %d): %s\n", i, bad[i].json,
					bad[i].expect, rc, rc ? err : "(accepted)");
			fail();
		}
		for (s = 0; s < SBC_FW_SVC_MAX; s++) {
			assert_null(cfg.fw.svc[s].rules);
			assert_null(cfg.fw.svc[s].srcs);
		}
	}
}

static void
test_defaults(void **state)
{
	char err[SBC_CFG_ERR_LEN];
	struct sbc_config cfg;

	(void)state;
	assert_int_equal(sbc_config_parse("{" BASE "}", "t.json", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.fw.classify, SBC_FW_CLASSIFY_AUTO);
	assert_int_equal(cfg.fw.svc[SBC_FW_SIP].default_action, SBC_FW_ALLOW);
	assert_int_equal(cfg.fw.svc[SBC_FW_MEDIA].default_action, SBC_FW_ALLOW);
	assert_int_equal(cfg.fw.svc[SBC_FW_ICMP].default_action, SBC_FW_ALLOW);
	assert_int_equal(cfg.fw.svc[SBC_FW_SSH].default_action, SBC_FW_DENY);
	assert_int_equal(cfg.fw.svc[SBC_FW_WEB].default_action, SBC_FW_DENY);
	assert_int_equal(cfg.fw.svc[SBC_FW_DB].default_action, SBC_FW_DENY);
	assert_int_equal(cfg.fw.svc[SBC_FW_SSH].n_ports, 1);
	assert_int_equal(cfg.fw.svc[SBC_FW_SSH].ports[0], 22);
	assert_int_equal(cfg.fw.svc[SBC_FW_WEB].ports[0], 443);
	assert_int_equal(cfg.fw.svc[SBC_FW_DB].ports[0], 5432);
	assert_int_equal(cfg.fw.svc[SBC_FW_SIP].n_ports, 0);
	assert_int_equal(sbc_fw_config_rules(&cfg.fw), 0);
	/* Flood protection is on by default. */
	assert_true(cfg.fw.flood.enabled);
	assert_int_equal(cfg.fw.flood.sip_rate, 300);
	assert_int_equal(cfg.fw.flood.sip_burst, 600);
	assert_int_equal(cfg.fw.flood.call_rate, 30);
	assert_int_equal(cfg.fw.flood.call_burst, 60);
	assert_int_equal(cfg.fw.flood.block_after, 20);
	assert_int_equal(cfg.fw.flood.sources, 65536);
	assert_int_equal(cfg.fw.block.max_entries, 65536);
	assert_int_equal(cfg.fw.block.malformed, 10);
	assert_int_equal(cfg.fw.block.scanner, 1);
	assert_true(cfg.fw.n_scanners >= 5);
	assert_string_equal(cfg.fw.scanners[0], "friendly-scanner");
	assert_string_equal(cfg.host.iface, "");
	assert_int_equal(cfg.host.route_table, 5060);
	sbc_config_free(&cfg);
}

/* A valid set: what each rule holds. */
static void
test_rules(void **state)
{
	static const char *json = "{" BASE ",\"host\":{\"iface\":\"sbc-host\",\"route_table\":77},"
		"\"firewall\":{\"classify\":\"scalar\",\"services\":{"
		"\"sip\":{\"default\":\"deny\",\"rules\":["
		"{\"name\":\"trunk\",\"src\":[\"192.0.2.0/24\",\"2001:db8:a::/48\"],\"port\":\"a\","
		"\"action\":\"allow\"},"
		"{\"src\":\"203.0.113.5\",\"action\":\"rate-limit\",\"rate\":50},"
		"{\"action\":\"deny\",\"ports\":5080}]},"
		"\"media\":{\"rules\":[{\"action\":\"deny\",\"ports\":\"30000-30001\",\"src\":\"::/0\"}]},"
		"\"web\":{\"ports\":[443,8443],\"rules\":[{\"action\":\"allow\",\"ports\":\"8000-8999\"}]}},"
		"\"flood\":{\"enabled\":false,\"call_rate\":5,\"exempt\":[\"198.51.100.0/24\"]},"
		"\"scanners\":[\"evil\"]}}";
	char err[SBC_CFG_ERR_LEN], a[SBC_IP_STRLEN];
	struct sbc_config cfg;
	const struct sbc_fw_svc_cfg *sip, *media, *web;
	const struct sbc_fw_rule *r;
	struct sbc_fw_cfg copy;

	(void)state;
	assert_int_equal(sbc_config_parse(json, "t.json", &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.host.iface, "sbc-host");
	assert_int_equal(cfg.host.route_table, 77);
	assert_int_equal(cfg.fw.classify, SBC_FW_CLASSIFY_SCALAR);
	sip = &cfg.fw.svc[SBC_FW_SIP];
	assert_int_equal(sip->default_action, SBC_FW_DENY);
	assert_int_equal(sip->n_rules, 3);
	assert_int_equal(sip->n_srcs, 3);
	r = &sip->rules[0];
	assert_string_equal(r->name, "trunk");
	assert_int_equal(r->action, SBC_FW_ALLOW);
	assert_int_equal(r->ifidx, 0);
	assert_int_equal(r->n_src, 2);
	assert_int_equal(r->port_lo, 0);
	assert_int_equal(r->port_hi, 65535);
	assert_string_equal(sbc_ip_format(&sip->srcs[r->src_off], true, a, sizeof(a)),
			"192.0.2.0/24");
	assert_string_equal(sbc_ip_format(&sip->srcs[r->src_off + 1], true, a, sizeof(a)),
			"2001:db8:a::/48");
	r = &sip->rules[1];
	assert_int_equal(r->action, SBC_FW_RATE_LIMIT);
	assert_int_equal(r->rate, 50);
	assert_int_equal(r->burst, 50); /* the rate when not given */
	assert_int_equal(r->ifidx, -1);
	assert_string_equal(sbc_ip_format(&sip->srcs[r->src_off], true, a, sizeof(a)),
			"203.0.113.5/32");
	r = &sip->rules[2];
	assert_int_equal(r->n_src, 0);
	assert_int_equal(r->port_lo, 5080);
	assert_int_equal(r->port_hi, 5080);
	media = &cfg.fw.svc[SBC_FW_MEDIA];
	assert_int_equal(media->rules[0].port_lo, 30000);
	assert_int_equal(media->rules[0].port_hi, 30001);
	assert_int_equal(media->srcs[0].family, AF_INET6);
	assert_int_equal(media->srcs[0].plen, 0);
	web = &cfg.fw.svc[SBC_FW_WEB];
	assert_int_equal(web->n_ports, 2);
	assert_int_equal(web->ports[1], 8443);
	assert_false(cfg.fw.flood.enabled);
	assert_int_equal(cfg.fw.flood.call_rate, 5);
	assert_int_equal(cfg.fw.flood.call_burst, 10); /* twice the rate when not given */
	assert_int_equal(cfg.fw.flood.n_exempt, 1);
	assert_int_equal(cfg.fw.n_scanners, 1);
	assert_string_equal(cfg.fw.scanners[0], "evil");
	assert_int_equal(sbc_fw_config_rules(&cfg.fw), 5);
	/* A deep copy owns its lists. */
	assert_int_equal(sbc_fw_config_dup(&copy, &cfg.fw), 0);
	assert_ptr_not_equal(copy.svc[SBC_FW_SIP].rules, sip->rules);
	assert_memory_equal(copy.svc[SBC_FW_SIP].rules, sip->rules, 3 * sizeof(*sip->rules));
	sbc_config_free(&cfg);
	assert_string_equal(copy.svc[SBC_FW_SIP].rules[0].name, "trunk");
	sbc_fw_config_free(&copy);
	assert_null(copy.svc[SBC_FW_SIP].rules);
}

/* Writes text to a fresh temporary file named in path. */
static void
write_file(char *path, const char *text)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void
test_reload(void **state)
{
	char p1[] = "/tmp/sbc-test-fw-XXXXXX", p2[] = "/tmp/sbc-test-fw-XXXXXX";
	char p3[] = "/tmp/sbc-test-fw-XXXXXX", p4[] = "/tmp/sbc-test-fw-XXXXXX";
	char err[SBC_CFG_ERR_LEN];
	struct sbc_config cfg;
	struct sbc_fw_cfg fw;
	struct sbc_cfg_err detail;

	(void)state;
	assert_int_equal(sbc_config_parse(RULES("ssh", "{\"action\":\"allow\"}"), "t.json", &cfg, err,
					 sizeof(err)),
			0);
	/* A good set, judged against the running ports. */
	write_file(p1, RULES("ssh", "{\"action\":\"allow\",\"src\":\"192.0.2.0/24\",\"port\":\"b\"},"
				    "{\"action\":\"deny\"}"));
	assert_int_equal(sbc_fw_config_reload(p1, &cfg, &fw, err, sizeof(err), &detail), 0);
	assert_int_equal(fw.svc[SBC_FW_SSH].n_rules, 2);
	assert_int_equal(fw.svc[SBC_FW_SSH].rules[0].ifidx, 1);
	sbc_fw_config_free(&fw);
	/* A bad one: the message and its parts name the rule and the field. */
	write_file(p2, RULES("ssh", "{\"action\":\"allow\"},{\"action\":\"allow\",\"src\":\"x\"}"));
	assert_int_equal(sbc_fw_config_reload(p2, &cfg, &fw, err, sizeof(err), &detail), -1);
	assert_non_null(strstr(err, ": firewall.services.ssh.rules[1].src = \"x\": not an IPv4"));
	assert_int_equal(strncmp(err, p2, strlen(p2)), 0);
	assert_string_equal(detail.key, "firewall.services.ssh.rules[1].src");
	assert_string_equal(detail.value, "\"x\"");
	assert_non_null(strstr(detail.problem, "not an IPv4 or IPv6 address"));
	assert_null(fw.svc[SBC_FW_SSH].rules);
	/* Invalid JSON: line and column. */
	write_file(p3, "{\"firewall\": {\n\"services\": }");
	assert_int_equal(sbc_fw_config_reload(p3, &cfg, &fw, err, sizeof(err), &detail), -1);
	assert_non_null(strstr(err, ":2:"));
	assert_non_null(strstr(err, "invalid JSON"));
	assert_string_equal(detail.key, "(file)");
	/* Sizes allocated at start need a restart. */
	write_file(p4, FW("\"flood\":{\"sources\":4096}"));
	assert_int_equal(sbc_fw_config_reload(p4, &cfg, &fw, err, sizeof(err), &detail), -1);
	assert_non_null(strstr(err, "firewall.flood.sources = 4096: cannot change while sbcd runs "
				    "(65536 now)"));
	/* A missing file. */
	assert_int_equal(sbc_fw_config_reload("/nonexistent/x.json", &cfg, &fw, err, sizeof(err),
					 &detail),
			-1);
	assert_non_null(strstr(err, "/nonexistent/x.json"));
	unlink(p1);
	unlink(p2);
	unlink(p3);
	unlink(p4);
	sbc_config_free(&cfg);
}

struct alert_case {
	const char *json;
	unsigned int svc;
	bool raised, v4, v6;
	int rule;
	const char *text; /* substring, NULL when not raised */
};

static const struct alert_case alerts[] = {
	/* Defaults: SIP open (default allow), host services closed. */
	{ "{" BASE "}", SBC_FW_SIP, true, true, true, -1, "sip: every IPv4 and IPv6 source let in "
			"by the default policy" },
	{ "{" BASE "}", SBC_FW_SSH, false, false, false, -1, NULL },
	{ SVC("sip", "\"default\":\"deny\""), SBC_FW_SIP, false, false, false, -1, NULL },
	/* A specific allow before the default deny: fine. */
	{ SVC("ssh", "\"rules\":[{\"action\":\"allow\",\"src\":\"192.0.2.0/24\"}]"), SBC_FW_SSH,
			false, false, false, -1, NULL },
	/* An allow of everything ahead of the default deny: open. */
	{ SVC("ssh", "\"rules\":[{\"action\":\"allow\",\"src\":\"192.0.2.0/24\"},{\"action\":"
		     "\"allow\"}]"),
			SBC_FW_SSH, true, true, true, 1, "ssh: every IPv4 and IPv6 source let in by "
			"rules[1]" },
	/* Only one family opened by a /0. */
	{ SVC("web", "\"rules\":[{\"action\":\"allow\",\"src\":\"0.0.0.0/0\"}]"), SBC_FW_WEB, true,
			true, false, 0, "web: every IPv4 source let in by rules[0]" },
	/* A deny of all IPv4 first closes IPv4; IPv6 left to the default allow. */
	{ SVC("sip", "\"rules\":[{\"action\":\"deny\",\"src\":\"0.0.0.0/0\"},{\"action\":"
		     "\"allow\"}]"),
			SBC_FW_SIP, true, false, true, 1, "sip: every IPv6 source let in by rules[1]" },
	/* Different openers per family. */
	{ SVC("sip", "\"rules\":[{\"action\":\"rate-limit\",\"rate\":9,\"src\":\"::/0\"}]"),
			SBC_FW_SIP, true, true, true, -1, "sip: every IPv4 source (the default policy), "
			"every IPv6 source (rules[0] (rate-limited))" },
	/* Open on one ingress port or one destination port is open: the text says where. */
	{ SVC("ssh", "\"rules\":[{\"action\":\"allow\",\"port\":\"a\"}]"), SBC_FW_SSH, true, true,
			true, 0, "ssh: every IPv4 and IPv6 source on tcp/22 at port a let in by "
			"rules[0]" },
	{ SVC("web", "\"ports\":[443,8443],\"rules\":[{\"action\":\"allow\",\"ports\":443}]"),
			SBC_FW_WEB, true, true, true, 0, "on tcp/443 at port a" },
	{ SVC("web", "\"ports\":[443,8443],\"rules\":[{\"action\":\"allow\",\"ports\":\"1-9000\"}]"),
			SBC_FW_WEB, true, true, true, 0, "web: every IPv4 and IPv6 source let in by "
			"rules[0]" },
	/* SIP's ports are each port's sip_udp_port: 5060 on a, 5080 on b. */
	{ SVC("sip", "\"default\":\"deny\",\"rules\":[{\"action\":\"allow\",\"ports\":5060}]"),
			SBC_FW_SIP, true, true, true, 0, "sip: every IPv4 and IPv6 source on udp/5060 "
			"at port a let in by rules[0]" },
	{ SVC("sip", "\"default\":\"deny\",\"rules\":[{\"action\":\"allow\",\"ports\":\"5060-5080\"}]"),
			SBC_FW_SIP, true, true, true, 0, "sip: every IPv4 and IPv6 source let in by "
			"rules[0]" },
	{ SVC("sip", "\"default\":\"deny\",\"rules\":[{\"action\":\"allow\",\"port\":\"b\","
		     "\"src\":\"0.0.0.0/0\"}]"),
			SBC_FW_SIP, true, true, false, 0, "sip: every IPv4 source on udp/5080 at port b "
			"let in by rules[0]" },
	/* A specific source on one port is no alert. */
	{ SVC("sip", "\"default\":\"deny\",\"rules\":[{\"action\":\"allow\",\"port\":\"b\","
		     "\"src\":\"198.51.100.0/24\"}]"),
			SBC_FW_SIP, false, false, false, -1, NULL },
	/* Media and ICMP have no alerts. */
	{ "{" BASE "}", SBC_FW_MEDIA, false, false, false, -1, NULL },
};

static void
test_alerts(void **state)
{
	char err[SBC_CFG_ERR_LEN];
	struct sbc_fw_alert out[SBC_FW_SVC_MAX];
	struct sbc_config cfg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++) {
		const struct alert_case *c = &alerts[i];
		const struct sbc_fw_alert *a = &out[c->svc];

		assert_int_equal(sbc_config_parse(c->json, "t.json", &cfg, err, sizeof(err)), 0);
		sbc_fw_alerts(&cfg.fw, &cfg, out);
		if (a->raised != c->raised || a->v4 != c->v4 || a->v6 != c->v6 ||
				(c->raised && c->rule >= 0 && a->rule != c->rule) ||
				(c->text != NULL && strstr(a->text, c->text) == NULL)) {
			print_error("alert case %zu (%s): raised %d v4 %d v6 %d rule %d text \"%s\"\n",
					i, sbc_fw_svc_name(c->svc), a->raised, a->v4, a->v6, a->rule,
					a->text);
			fail();
		}
		sbc_config_free(&cfg);
	}
}

/* The shipped files: the lab denies unknown SIP sources and opens SSH to the NOC only. */
static void
test_shipped(void **state)
{
	char err[SBC_CFG_ERR_LEN];
	struct sbc_fw_alert out[SBC_FW_SVC_MAX];
	struct sbc_config cfg;
	unsigned int s;

	(void)state;
	assert_int_equal(sbc_config_load(SBC_SOURCE_ROOT "/conf/lab.json", &cfg, err, sizeof(err)),
			0);
	assert_true(cfg.fw.flood.enabled);
	assert_string_not_equal(cfg.host.iface, "");
	assert_int_equal(cfg.fw.svc[SBC_FW_SIP].default_action, SBC_FW_DENY);
	sbc_fw_alerts(&cfg.fw, &cfg, out);
	for (s = 0; s < SBC_FW_SVC_MAX; s++)
		assert_false(out[s].raised);
	sbc_config_free(&cfg);
	assert_int_equal(sbc_config_load(SBC_SOURCE_ROOT "/conf/example.json", &cfg, err,
					 sizeof(err)),
			0);
	assert_true(cfg.fw.flood.enabled);
	sbc_fw_alerts(&cfg.fw, &cfg, out);
	for (s = 0; s < SBC_FW_SVC_MAX; s++)
		assert_false(out[s].raised && !cfg.fw.svc[s].alert_ack);
	sbc_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_alerts),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
