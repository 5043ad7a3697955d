// Volume tags: validation, the LTO label suffix, and numbered series.
#include <string>

#include "library/library.h"
#include "vtape/media.h"

namespace vtape::library {
namespace {

constexpr std::size_t kMaxBarcode = 32;
constexpr std::size_t kLtoLabelLength = 8;  // 6-character volser + 2-character media id

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

Status CheckBarcode(std::string_view barcode) {
  if (barcode.empty() || barcode.size() > kMaxBarcode) {
    return Status::InvalidArgument("barcode '" + std::string(barcode) + "' must have 1 to " +
                                   std::to_string(kMaxBarcode) + " characters");
  }
  for (char c : barcode) {
    // A volume tag is padded with spaces in READ ELEMENT STATUS, so none inside it.
    if (c < 0x21 || c > 0x7E) {
      return Status::InvalidArgument("barcode '" + std::string(barcode) +
                                     "' must be printable ASCII without spaces");
    }
  }
  return Status::Ok();
}

std::optional<std::string> MediaTypeOfBarcode(std::string_view barcode) {
  if (barcode.size() != kLtoLabelLength) return std::nullopt;
  std::string_view suffix = barcode.substr(kLtoLabelLength - 2);
  for (auto types : {AllMediaTypes(), AllWormMediaTypes()}) {
    for (const MediaType& type : types) {
      if (type.barcode_suffix == suffix) return std::string(type.name);
    }
  }
  return std::nullopt;
}

Status ExpandBarcodes(std::string_view first, std::uint32_t count,
                      std::vector<std::string>& barcodes) {
  VTAPE_RETURN_IF_ERROR(CheckBarcode(first));
  // The number is the last run of digits in the volser: before an LTO suffix
  // ("A00001L8" -> 00001; "L8"'s digit is the generation), else anywhere.
  std::size_t end = MediaTypeOfBarcode(first) ? kLtoLabelLength - 2 : first.size();
  while (end > 0 && !IsDigit(first[end - 1])) --end;
  std::size_t begin = end;
  while (begin > 0 && IsDigit(first[begin - 1])) --begin;
  if (begin == end) {
    return Status::InvalidArgument("barcode '" + std::string(first) +
                                   "' has no digits to number a series of cartridges from");
  }
  std::size_t width = end - begin;
  std::uint64_t start = std::stoull(std::string(first.substr(begin, width)));
  std::uint64_t limit = 1;
  for (std::size_t i = 0; i < width && limit <= UINT32_MAX; ++i) limit *= 10;
  if (count > 0 && start + count - 1 >= limit) {
    return Status::InvalidArgument(
        "barcode '" + std::string(first) + "': " + std::to_string(count) +
        " cartridges do not fit in its " + std::to_string(width) + "-digit number");
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    std::string number = std::to_string(start + i);
    number.insert(0, width - number.size(), '0');
    barcodes.push_back(std::string(first.substr(0, begin)) + number +
                       std::string(first.substr(end)));
  }
  return Status::Ok();
}

}  // namespace vtape::library
