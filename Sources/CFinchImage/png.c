// PNG through libpng's progressive-free low-level API, so every transformation is the one
// Pillow makes (no gamma correction, no compositing of alpha onto a background).
#include "common.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
} png_memory_reader;

typedef struct {
    char *message;
    size_t message_size;
} png_error_sink;

static void finch_png_read(png_structp png, png_bytep into, png_size_t length) {
    png_memory_reader *reader = png_get_io_ptr(png);
    if (length > reader->size - reader->offset) {
        png_error(png, "unexpected end of file (truncated PNG)");
    }
    memcpy(into, reader->data + reader->offset, length);
    reader->offset += length;
}

static void finch_png_error(png_structp png, png_const_charp text) {
    png_error_sink *sink = png_get_error_ptr(png);
    finch_image_set_message(sink->message, sink->message_size, text);
    png_longjmp(png, 1);
}

static void finch_png_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;  // Warnings (an unknown chunk, a bad sRGB profile) do not stop the decode.
}

finch_image_status finch_png_decode(
    const unsigned char *data, size_t size, int channels, finch_image *out, char *message, size_t message_size) {
    png_memory_reader reader = {data, size, 0};
    png_error_sink sink = {message, message_size};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &sink, finch_png_error, finch_png_warning);
    if (png == NULL) return FINCH_IMAGE_OUT_OF_MEMORY;
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return FINCH_IMAGE_OUT_OF_MEMORY;
    }
    // Written between setjmp and a possible longjmp, hence volatile.
    unsigned char *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    volatile finch_image_status failure = FINCH_IMAGE_CORRUPT;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(pixels);
        png_destroy_read_struct(&png, &info, NULL);
        return failure;
    }
    png_set_read_fn(png, &reader, finch_png_read);
    // CRC errors in critical chunks are errors; in ancillary ones libpng's default (warn, discard).
    png_read_info(png, info);

    png_uint_32 width = png_get_image_width(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    if (width == 0 || height == 0 || (long)width * (long)height > FINCH_IMAGE_MAX_PIXELS) {
        char text[96];
        snprintf(text, sizeof text, "image size %ux%u is outside 1..%ld pixels", width, height, FINCH_IMAGE_MAX_PIXELS);
        finch_image_set_message(message, message_size, text);
        failure = FINCH_IMAGE_BAD_SIZE;
        png_longjmp(png, 1);
    }
    int color_type = png_get_color_type(png, info);
    int bit_depth = png_get_bit_depth(png, info);

    // Normalise to 8-bit gray or RGB, without alpha: Pillow's convert("L"/"RGB") drops alpha.
    if (bit_depth == 16) png_set_strip_16(png);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    // A tRNS chunk (transparency of a palette or gray level) is alpha too, and dropped likewise.
    if ((color_type & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS)) png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    int decoded = png_get_channels(png, info);
    if (decoded != 1 && decoded != 3) {
        finch_image_set_message(message, message_size, "unexpected channel count after PNG transformations");
        failure = FINCH_IMAGE_UNSUPPORTED;
        png_longjmp(png, 1);
    }
    size_t row_bytes = png_get_rowbytes(png, info);
    pixels = malloc(row_bytes * height);
    rows = malloc(sizeof(png_bytep) * height);
    if (pixels == NULL || rows == NULL) {
        finch_image_set_message(message, message_size, "out of memory");
        failure = FINCH_IMAGE_OUT_OF_MEMORY;
        png_longjmp(png, 1);
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + y * row_bytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);

    free(rows);
    png_destroy_read_struct(&png, &info, NULL);

    int want = channels == 0 ? decoded : channels;
    unsigned char *converted = finch_image_convert(pixels, (size_t)width * height, decoded, want);
    if (converted == NULL) {
        finch_image_set_message(message, message_size, "out of memory");
        return FINCH_IMAGE_OUT_OF_MEMORY;
    }
    out->width = (int)width;
    out->height = (int)height;
    out->channels = want;
    out->pixels = converted;
    return FINCH_IMAGE_OK;
}
