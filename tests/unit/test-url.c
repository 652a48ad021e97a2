/* being written */
#include <stdio.h>
int main(void)
{
	fputs("test-url: not written yet\n", stderr);
	return 1;
}
