/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sbc_fw.h - the firewall's vocabulary, shared by every plane: the services whose
 * traffic the rule sets filter, rule actions, the per-service verdict counters, and the
 * offences for which a source is blocked. X-macros, so that the enums and the names
 * shown by telemetry and written in the configuration never drift apart.
 */
#ifndef SBC_FW_H
#define SBC_FW_H

/*
 * X(symbol, "name", protocol, "what it covers"). The service of a packet follows from
 * its protocol and destination port alone (dp_fw.h), so the rule sets never overlap.
 */
#define SBC_FW_SERVICES(X)                                                                         \
	X(SIP, "sip", "udp", "SIP to each port's sip_udp_port")                                   \
	X(MEDIA, "media", "udp", "RTP/RTCP to the relay range media.port_min-port_max")           \
	X(WEB, "web", "tcp", "the management API and web interface (host service)")              \
	X(SSH, "ssh", "tcp", "SSH to the host (host service)")                                    \
	X(DB, "db", "tcp", "the database (host service)")                                         \
	X(ICMP, "icmp", "icmp", "ICMP and ICMPv6 echo requests to the SBC's addresses")

#define SBC_X_ENUM(sym, name, proto, desc) SBC_FW_##sym,
enum sbc_fw_svc { SBC_FW_SERVICES(SBC_X_ENUM) SBC_FW_SVC_MAX };
#undef SBC_X_ENUM

/* The host services: passed to the kernel through the exception port when allowed. */
#define SBC_FW_IS_HOST(svc) ((svc) == SBC_FW_WEB || (svc) == SBC_FW_SSH || (svc) == SBC_FW_DB)

/* Rule actions; a service's default policy is allow or deny. */
enum sbc_fw_action {
	SBC_FW_ALLOW = 0,
	SBC_FW_DENY,
	SBC_FW_RATE_LIMIT,
};

/* Per-service verdicts, counted by every dataplane lcore. */
#define SBC_FW_VERDICTS(X)                                                                         \
	X(ALLOWED, "allowed", "passed by a rule or the default policy")                           \
	X(DENIED, "denied", "dropped by a deny rule")                                             \
	X(DEFAULT_DENIED, "default_denied", "dropped by the service's default policy")           \
	X(RATE_LIMITED, "rate_limited", "over a rate-limit rule's rate")                          \
	X(BLOCKED, "blocked", "source on the blocklist")

#define SBC_X_ENUM(sym, name, desc) SBC_FW_V_##sym,
enum sbc_fw_verdict { SBC_FW_VERDICTS(SBC_X_ENUM) SBC_FW_V_MAX };
#undef SBC_X_ENUM

/* Why a source was blocked. */
#define SBC_FW_OFFENCES(X)                                                                         \
	X(SIP_FLOOD, "sip_flood", "SIP packets above flood.sip_rate")                             \
	X(CALL_FLOOD, "call_flood", "new calls above flood.call_rate")                            \
	X(SCANNER, "scanner", "a SIP scanner's User-Agent")                                       \
	X(MALFORMED, "malformed", "malformed SIP, repeatedly")                                    \
	X(AUTH_FAILURE, "auth_failure", "failed digest authentication, repeatedly")               \
	X(OPERATOR, "operator", "blocked by an operator")

#define SBC_X_ENUM(sym, name, desc) SBC_FW_OFF_##sym,
enum sbc_fw_offence { SBC_FW_OFFENCES(SBC_X_ENUM) SBC_FW_OFF_MAX };
#undef SBC_X_ENUM

/*
 * Each returns the static name of a service, a service's protocol ("udp", "tcp",
 * "icmp"), an action, a verdict or an offence, as the configuration and telemetry spell
 * it; "?" when out of range. Any thread.
 */
const char *sbc_fw_svc_name(unsigned int svc);
const char *sbc_fw_svc_proto(unsigned int svc);
const char *sbc_fw_action_name(unsigned int action);
const char *sbc_fw_verdict_name(unsigned int v);
const char *sbc_fw_offence_name(unsigned int off);

#endif /* SBC_FW_H */
