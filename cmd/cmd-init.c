/* cmd/cmd-init.c: being written */
