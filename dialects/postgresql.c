/* dialects/postgresql.c: being written */
