/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_check.h - the message layer's verdict on a parsed message: may the SBC process
 * it, or what does it answer. Any thread.
 */
#ifndef SIP_CHECK_H
#define SIP_CHECK_H

#include "sip_msg.h"

/*
 * Checks everything an SBC relies on, beyond framing: the mandatory headers (Via,
 * From, To, Call-ID, CSeq) present once and well formed, every Via, Contact, Route and
 * Record-Route element, Max-Forwards and Expires in range, the Request-URI (400 when
 * malformed or carrying headers, 416 for a scheme other than sip, sips and tel), and the
 * CSeq method equal to the request's (400; 501 when the method is unknown).
 * Returns 0, or -1 with *err set (status 0 for a response: discard it). Any thread.
 */
int sip_validate(const struct sip_msg *m, struct sip_error *err);

#endif /* SIP_CHECK_H */
