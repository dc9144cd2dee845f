/* SPDX-License-Identifier: BSD-3-Clause */
/* sbc_log.c - registration of the log types (runs as a constructor, before main). */
#include "sbc_log.h"

RTE_LOG_REGISTER(sbc_logtype_dp, sbc.dp, INFO);
RTE_LOG_REGISTER(sbc_logtype_sig, sbc.sig, INFO);
RTE_LOG_REGISTER(sbc_logtype_mgmt, sbc.mgmt, INFO);
