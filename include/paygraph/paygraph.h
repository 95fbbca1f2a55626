/*
 * paygraph — umbrella header. Include this one; it pulls in every module.
 */
#ifndef PAYGRAPH_H
#define PAYGRAPH_H

#include "paygraph/common.h"
#include "paygraph/graph.h"
#include "paygraph/paths.h"

#endif
