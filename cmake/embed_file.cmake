# cmake -DIN=file -DOUT=file.cc -DSYMBOL=kName -DNAMESPACE=ns -P embed_file.cmake
# Writes a C++ source defining `std::string_view NAMESPACE::SYMBOL()` with IN's bytes.
file(READ ${IN} content HEX)
string(LENGTH "${content}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "// Generated from ${IN} by cmake/embed_file.cmake. Do not edit.\n"
     "#include <string_view>\n"
     "namespace ${NAMESPACE} {\n"
     "namespace {\nconst unsigned char kData[] = {\n${bytes}0x00};\n}  // namespace\n"
     "std::string_view ${SYMBOL}() {\n  return std::string_view(reinterpret_cast<const char*>(kData), ${size});\n}\n"
     "}  // namespace ${NAMESPACE}\n")
