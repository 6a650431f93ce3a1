#ifndef FINCH_IMAGE_COMMON_H
#define FINCH_IMAGE_COMMON_H

#include "finch_image.h"

#include <stdio.h>
#include <string.h>

/// Copies `text` into `message` (truncated, always terminated).
static inline void finch_image_set_message(char *message, size_t size, const char *text) {
    if (message == NULL || size == 0) return;
    snprintf(message, size, "%s", text);
}

finch_image_status finch_png_decode(
    const unsigned char *data, size_t size, int channels, finch_image *out, char *message, size_t message_size);
finch_image_status finch_jpeg_decode(
    const unsigned char *data, size_t size, int channels, finch_image *out, char *message, size_t message_size);

/// Converts `pixels` (width × height × from channels, from = 1 or 3) in place or into a new
/// buffer so that it has `to` channels; returns the buffer to keep (NULL when out of memory,
/// in which case `pixels` was freed).
unsigned char *finch_image_convert(unsigned char *pixels, size_t count, int from, int to);

#endif
