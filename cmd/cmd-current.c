/* cmd/cmd-current.c: being written */
