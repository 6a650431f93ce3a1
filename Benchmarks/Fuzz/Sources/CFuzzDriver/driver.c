// Declarations only: the driver itself is libFuzzer's (see include/CFuzzDriver.h).
#include "CFuzzDriver.h"
