#include "finch_image.h"
int finch_image_abi_version(void) { return 1; }
