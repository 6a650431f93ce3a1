// JPEG through libjpeg-turbo with a setjmp error manager: libjpeg's error_exit would otherwise
// call exit(); here it longjmps back to finch_jpeg_decode, inside this C file.
#include "common.h"

#include <jpeglib.h>
#include <jerror.h>
#include <setjmp.h>
#include <stdlib.h>

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *message;
    size_t message_size;
} finch_jpeg_error_manager;

static void finch_jpeg_error_exit(j_common_ptr cinfo) {
    finch_jpeg_error_manager *manager = (finch_jpeg_error_manager *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    manager->base.format_message(cinfo, text);
    finch_image_set_message(manager->message, manager->message_size, text);
    longjmp(manager->jump, 1);
}

static void finch_jpeg_output_message(j_common_ptr cinfo) {
    (void)cinfo;  // Warnings are not printed: a library never writes to the terminal.
}

// A premature end of the data is only a warning to libjpeg (it pads the image with gray);
// Pillow refuses such a file ("image file is truncated"), and so does Finch.
static void finch_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        finch_jpeg_error_exit(cinfo);
    }
    if (level == -1) cinfo->err->num_warnings++;
}

finch_image_status finch_jpeg_decode(
    const unsigned char *data, size_t size, int channels, finch_image *out, char *message, size_t message_size) {
    struct jpeg_decompress_struct cinfo;
    finch_jpeg_error_manager manager;
    cinfo.err = jpeg_std_error(&manager.base);
    manager.base.error_exit = finch_jpeg_error_exit;
    manager.base.output_message = finch_jpeg_output_message;
    manager.base.emit_message = finch_jpeg_emit_message;
    manager.message = message;
    manager.message_size = message_size;
    unsigned char *volatile pixels = NULL;
    volatile finch_image_status failure = FINCH_IMAGE_CORRUPT;
    volatile int created = 0;
    if (setjmp(manager.jump)) {
        if (created) jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return failure;
    }
    jpeg_create_decompress(&cinfo);
    created = 1;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);

    int decoded;
    if (cinfo.jpeg_color_space == JCS_GRAYSCALE) {
        cinfo.out_color_space = JCS_GRAYSCALE;
        decoded = 1;
    } else if (cinfo.jpeg_color_space == JCS_YCbCr || cinfo.jpeg_color_space == JCS_RGB) {
        cinfo.out_color_space = JCS_RGB;
        decoded = 3;
    } else {
        finch_image_set_message(message, message_size, "CMYK and YCCK JPEG files are not supported (gray and RGB are)");
        failure = FINCH_IMAGE_UNSUPPORTED;
        longjmp(manager.jump, 1);
    }
    // libjpeg's defaults, which Pillow keeps: JDCT_ISLOW and fancy upsampling.
    cinfo.dct_method = JDCT_ISLOW;
    cinfo.do_fancy_upsampling = TRUE;
    if (cinfo.image_width == 0 || cinfo.image_height == 0 ||
        (long)cinfo.image_width * (long)cinfo.image_height > FINCH_IMAGE_MAX_PIXELS) {
        char text[96];
        snprintf(text, sizeof text, "image size %ux%u is outside 1..%ld pixels", cinfo.image_width, cinfo.image_height,
                 FINCH_IMAGE_MAX_PIXELS);
        finch_image_set_message(message, message_size, text);
        failure = FINCH_IMAGE_BAD_SIZE;
        longjmp(manager.jump, 1);
    }
    jpeg_start_decompress(&cinfo);
    size_t width = cinfo.output_width;
    size_t height = cinfo.output_height;
    size_t row_bytes = width * (size_t)decoded;
    pixels = malloc(row_bytes * height);
    if (pixels == NULL) {
        finch_image_set_message(message, message_size, "out of memory");
        failure = FINCH_IMAGE_OUT_OF_MEMORY;
        longjmp(manager.jump, 1);
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + (size_t)cinfo.output_scanline * row_bytes;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);

    int want = channels == 0 ? decoded : channels;
    unsigned char *converted = finch_image_convert(pixels, width * height, decoded, want);
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
