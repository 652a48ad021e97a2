/* being written */
#include <stdio.h>
int main(void)
{
	fputs("test-config: not written yet\n", stderr);
	return 1;
}
