/* SPDX-License-Identifier: BSD-3-Clause */
/* sbc_run.c - the process-wide stop request (see sbc_run.h). */
#include "sbc_run.h"

int sbc_quit;
