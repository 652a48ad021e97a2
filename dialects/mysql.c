/* dialects/mysql.c: being written */
