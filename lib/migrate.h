/* libmigrate: the public API. cmd/ and programs that embed migrate include
 * only this header. */
#ifndef MIGRATE_H
#define MIGRATE_H

#include "config.h"
#include "migrate/common.h"
#include "migrate/compare.h"
#include "migrate/config.h"
#include "migrate/db.h"
#include "migrate/gitcheck.h"
#include "migrate/model.h"
#include "migrate/ops.h"
#include "migrate/reflect.h"
#include "migrate/render.h"
#include "migrate/revgraph.h"
#include "migrate/revision.h"
#include "migrate/runner.h"
#include "migrate/schema.h"
#include "migrate/templates.h"
#include "migrate/url.h"

#endif
