/* dialects/sqlite.c: being written */
