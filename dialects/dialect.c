/* dialects/dialect.c: being written */
