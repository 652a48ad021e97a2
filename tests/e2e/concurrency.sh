#!/bin/bash
. "$MIGRATE_E2E_LIB"
pass
