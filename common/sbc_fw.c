/* SPDX-License-Identifier: BSD-3-Clause */
/* sbc_fw.c - names of the firewall's services, actions, verdicts and offences. Any thread. */
#include "sbc_fw.h"

#define SBC_X_NAME(sym, name, proto, desc) [SBC_FW_##sym] = name,
static const char *const svc_names[SBC_FW_SVC_MAX] = { SBC_FW_SERVICES(SBC_X_NAME) };
#undef SBC_X_NAME

#define SBC_X_PROTO(sym, name, proto, desc) [SBC_FW_##sym] = proto,
static const char *const svc_protos[SBC_FW_SVC_MAX] = { SBC_FW_SERVICES(SBC_X_PROTO) };
#undef SBC_X_PROTO

#define SBC_X_NAME(sym, name, desc) [SBC_FW_V_##sym] = name,
static const char *const verdict_names[SBC_FW_V_MAX] = { SBC_FW_VERDICTS(SBC_X_NAME) };
#undef SBC_X_NAME

#define SBC_X_NAME(sym, name, desc) [SBC_FW_OFF_##sym] = name,
static const char *const offence_names[SBC_FW_OFF_MAX] = { SBC_FW_OFFENCES(SBC_X_NAME) };
#undef SBC_X_NAME

/* Returns the service's name ("sip", "media", ...). */
const char *
sbc_fw_svc_name(unsigned int svc)
{
	return svc < SBC_FW_SVC_MAX ? svc_names[svc] : "?";
}

/* Returns the service's protocol ("udp", "tcp", "icmp"). */
const char *
sbc_fw_svc_proto(unsigned int svc)
{
	return svc < SBC_FW_SVC_MAX ? svc_protos[svc] : "?";
}

/* Returns "allow", "deny" or "rate-limit". */
const char *
sbc_fw_action_name(unsigned int action)
{
	switch (action) {
	case SBC_FW_ALLOW:
		return "allow";
	case SBC_FW_DENY:
		return "deny";
	case SBC_FW_RATE_LIMIT:
		return "rate-limit";
	default:
		return "?";
	}
}

/* Returns the telemetry name of a verdict counter. */
const char *
sbc_fw_verdict_name(unsigned int v)
{
	return v < SBC_FW_V_MAX ? verdict_names[v] : "?";
}

/* Returns the name of an offence. */
const char *
sbc_fw_offence_name(unsigned int off)
{
	return off < SBC_FW_OFF_MAX ? offence_names[off] : "?";
}
