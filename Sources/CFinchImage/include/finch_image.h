#ifndef FINCH_IMAGE_H
#define FINCH_IMAGE_H

#include <stddef.h>

// PNG and JPEG decoding through the system libpng and libjpeg-turbo.
//
// Both libraries report errors with longjmp; every setjmp and longjmp stays in
// this C target, so a corrupt file comes back as a status code and a message,
// never as a jump across Swift frames.

/// What a decode call returns.
typedef enum {
    FINCH_IMAGE_OK = 0,
    /// The bytes start with neither the PNG nor the JPEG signature.
    FINCH_IMAGE_UNKNOWN_FORMAT = 1,
    /// The library rejected the data (truncated, bad CRC, bad Huffman table, ...).
    FINCH_IMAGE_CORRUPT = 2,
    /// A valid file of a kind Finch does not read (CMYK JPEG, for one).
    FINCH_IMAGE_UNSUPPORTED = 3,
    /// Width or height is zero, or the pixel count is above FINCH_IMAGE_MAX_PIXELS.
    FINCH_IMAGE_BAD_SIZE = 4,
    /// malloc failed.
    FINCH_IMAGE_OUT_OF_MEMORY = 5,
} finch_image_status;

/// The largest image decoded: 2^28 pixels (16384 × 16384), so a forged header cannot ask for
/// tens of gigabytes.
#define FINCH_IMAGE_MAX_PIXELS (1L << 28)

/// A decoded image: 8-bit pixels, row-major, channels interleaved (height × width × channels).
typedef struct {
    int height;
    int width;
    /// 1 (gray) or 3 (RGB).
    int channels;
    /// malloc'd; free with finch_image_free.
    unsigned char *pixels;
} finch_image;

/// Decodes PNG or JPEG bytes (the format is told by the signature).
///
/// `channels`: 1 for gray, 3 for RGB, 0 for the file's own (gray files stay gray, every
/// other kind becomes RGB). Conversions are Pillow's: alpha is dropped (no compositing),
/// palettes are expanded, 16-bit samples keep their high byte, 1/2/4-bit gray is scaled to
/// 0–255, and RGB → gray is L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16.
/// JPEG uses libjpeg's defaults (islow DCT, fancy upsampling), as Pillow does.
///
/// On failure `out->pixels` is NULL and `message` (when not NULL) holds the library's words.
finch_image_status finch_image_decode(
    const unsigned char *data, size_t size, int channels, finch_image *out, char *message, size_t message_size);

/// Frees the pixels of an image from finch_image_decode; safe on a zeroed struct.
void finch_image_free(finch_image *image);

/// The libpng and libjpeg versions linked, as "libpng 1.6.39, libjpeg 62".
const char *finch_image_library_versions(void);

#endif
