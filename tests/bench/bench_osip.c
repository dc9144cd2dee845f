/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_osip.c - the libosip2 side of sip_bench (separate file: libosip2's
 * sdp_message.h and sbc's sdp.h both define struct sdp_media).
 */
#include <stddef.h>

#include <osipparser2/osip_parser.h>
#include <osipparser2/sdp_message.h>

int bench_osip_init(void);
int bench_osip(const char *buf, size_t len, int with_sdp);

int
bench_osip_init(void)
{
	return parser_init();
}

/* Parses buf as libosip2 does (and its SDP body); 0 or -1. */
int
bench_osip(const char *buf, size_t len, int with_sdp)
{
	osip_message_t *om;
	osip_body_t *body;
	sdp_message_t *s;
	int rc;

	if (osip_message_init(&om) != 0)
		return -1;
	rc = osip_message_parse(om, buf, len);
	if (rc == 0 && with_sdp) {
		body = osip_list_get(&om->bodies, 0);
		if (body == NULL || sdp_message_init(&s) != 0) {
			rc = -1;
		} else {
			rc = sdp_message_parse(s, body->body);
			sdp_message_free(s);
		}
	}
	osip_message_free(om);
	return rc == 0 ? 0 : -1;
}
