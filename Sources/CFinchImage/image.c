#include "common.h"

#include <png.h>
#include <jpeglib.h>
#include <stdlib.h>

finch_image_status finch_image_decode(
    const unsigned char *data, size_t size, int channels, finch_image *out, char *message, size_t message_size) {
    out->height = 0;
    out->width = 0;
    out->channels = 0;
    out->pixels = NULL;
    finch_image_set_message(message, message_size, "");
    if (channels != 0 && channels != 1 && channels != 3) {
        finch_image_set_message(message, message_size, "channels must be 0, 1 or 3");
        return FINCH_IMAGE_UNSUPPORTED;
    }
    static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (size >= 8 && memcmp(data, png_signature, 8) == 0) {
        return finch_png_decode(data, size, channels, out, message, message_size);
    }
    if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        return finch_jpeg_decode(data, size, channels, out, message, message_size);
    }
    finch_image_set_message(message, message_size, "not a PNG or JPEG file (unknown signature)");
    return FINCH_IMAGE_UNKNOWN_FORMAT;
}

void finch_image_free(finch_image *image) {
    if (image == NULL) return;
    free(image->pixels);
    image->pixels = NULL;
}

unsigned char *finch_image_convert(unsigned char *pixels, size_t count, int from, int to) {
    if (from == to) return pixels;
    if (from == 3 && to == 1) {
        // Pillow's L24: ITU-R 601-2 luma in 16-bit fixed point, rounded.
        for (size_t i = 0; i < count; i++) {
            const unsigned char *p = pixels + 3 * i;
            pixels[i] = (unsigned char)((p[0] * 19595u + p[1] * 38470u + p[2] * 7471u + 0x8000u) >> 16);
        }
        return pixels;
    }
    // 1 → 3: repeat the gray value.
    unsigned char *rgb = malloc(count * 3);
    if (rgb == NULL) {
        free(pixels);
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = pixels[i];
    }
    free(pixels);
    return rgb;
}

const char *finch_image_library_versions(void) {
    static char text[64];
    snprintf(text, sizeof text, "libpng %s, libjpeg %d", PNG_LIBPNG_VER_STRING, JPEG_LIB_VERSION);
    return text;
}
