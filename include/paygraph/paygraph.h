/*
 * paygraph — umbrella header. Include this one; it pulls in every module.
 */
#ifndef PAYGRAPH_H
#define PAYGRAPH_H

#include "paygraph/common.h"
#include "paygraph/graph.h"
#include "paygraph/community.h"
#include "paygraph/eval.h"
#include "paygraph/generate.h"
#include "paygraph/memory.h"
#include "paygraph/paths.h"
#include "paygraph/pool.h"
#include "paygraph/privacy.h"
#include "paygraph/report.h"
#include "paygraph/rings.h"
#include "paygraph/score.h"
#include "paygraph/store.h"

#endif
