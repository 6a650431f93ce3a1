#ifndef FINCH_IMAGE_H
#define FINCH_IMAGE_H
// PNG and JPEG decoding (libpng, libjpeg-turbo). Filled in by the vision work.
int finch_image_abi_version(void);
#endif
