// Internal to io/: RAII handles for HDF5 ids, error capture, and attribute/string helpers shared
// by the results writer and reader. Includes <hdf5.h>, so it is not part of the public API (the
// HDF5 include path is private to the io library).
#pragma once

#include <hdf5.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plansim::h5 {

/// Owns one HDF5 id and closes it with `Close` (H5Fclose, H5Dclose, ...).
template <herr_t (*Close)(hid_t)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  ~Handle() { reset(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset() {
    if (id_ >= 0) Close(id_);
    id_ = H5I_INVALID_HID;
  }
  /// Closes now and returns HDF5's status (a destructor cannot report a failed close).
  herr_t close() {
    const herr_t status = id_ >= 0 ? Close(id_) : 0;
    id_ = H5I_INVALID_HID;
    return status;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using File = Handle<H5Fclose>;
using Group = Handle<H5Gclose>;
using Dataset = Handle<H5Dclose>;
using Dataspace = Handle<H5Sclose>;
using Datatype = Handle<H5Tclose>;
using Attribute = Handle<H5Aclose>;
using PropertyList = Handle<H5Pclose>;

/// A file HDF5 builds in memory (its core driver without a backing store) and save() writes to
/// disk with ordinary checked writes. HDF5 1.10 does not survive a failed write of its own: after a
/// full disk or a file size limit fails one, closing its datasets or the file crashes it. Here
/// HDF5 never writes to disk, so such a failure is an IoError of save() and everything closes.
class MemoryFile {
 public:
  /// A new, empty file; `name` labels it (the path it will be saved to); `access` holds the file
  /// access properties (close degree, format versions), copied, the driver replaced; `creation`
  /// its file creation properties.
  static MemoryFile create(const std::string& name, hid_t access, hid_t creation = H5P_DEFAULT);
  MemoryFile(MemoryFile&&) noexcept;
  MemoryFile& operator=(MemoryFile&&) = delete;
  ~MemoryFile();  // closes without saving

  hid_t get() const { return file_.get(); }
  /// Closes the file (with H5F_CLOSE_STRONG objects still open close with it) and writes its
  /// bytes to `path`, created or replaced, synced to the disk. Throws IoError "cannot create
  /// '<path>': <reason>" or "cannot finish '<path>': file write failed: <reason>".
  void save(const std::string& path);
  /// save() to `path + ".tmp-<pid>"`, then renamed over `path`, so that a reader sees the old
  /// file or the whole new one, never half of it. On any failure the temporary is removed and
  /// IoError is thrown (save()'s, or "cannot rename '<tmp>' to it: <reason>").
  void save_replacing(const std::string& path);

  struct Image;  // the bytes, owned here (HDF5 allocates them through callbacks)

 private:
  MemoryFile(std::unique_ptr<Image> image, hid_t access);
  std::unique_ptr<Image> image_;  // declared first: outlives the file, which frees into it
  PropertyList access_;
  File file_;
};

/// Turns off HDF5's automatic printing of its error stack on this thread while alive (errors
/// become IoError messages instead), and restores the previous setting afterwards.
class ErrorSilencer {
 public:
  ErrorSilencer();
  ~ErrorSilencer();
  ErrorSilencer(const ErrorSilencer&) = delete;
  ErrorSilencer& operator=(const ErrorSilencer&) = delete;

 private:
  H5E_auto2_t function_ = nullptr;
  void* data_ = nullptr;
};

/// The most specific description on the current HDF5 error stack (e.g. "unable to open file:
/// name = '...', errno = 2, error message = 'No such file or directory'"), or "" when empty.
std::string error_description();

/// Throws IoError("<what>: <HDF5's description>"). Call right after the failing HDF5 call.
[[noreturn]] void fail(const std::string& what);
/// Returns `id` or throws via fail(what) when it is negative.
hid_t check_id(hid_t id, const std::string& what);
/// Throws via fail(what) when `status` is negative.
void check_status(herr_t status, const std::string& what);

/// File-format versions of HDF5 1.10 on the file access list `access`: object headers, groups,
/// the superblock and chunk indices then carry checksums, so that damaged metadata is refused when
/// read rather than taken for other objects (any HDF5 >= 1.10, h5py, netCDF-4 reads them).
void use_checksummed_metadata(hid_t access);

/// Variable-length UTF-8 string type. plansim writes none (their text lives in HDF5's global
/// heap, which has no checksum and which libhdf5 1.10 trusts when it reads a damaged file); the
/// readers use it for files written before fixed-length strings.
Datatype utf8_string_type();
/// Fixed-length UTF-8 string type of `bytes` bytes (at least 1), NUL-padded: what plansim writes
/// for every string, sized to the longest one it holds.
Datatype fixed_utf8_string_type(std::size_t bytes);
/// `values` as fixed-length strings: the type (as long as the longest value in bytes, at least 1)
/// and the values one after another, each NUL-padded to that size.
struct FixedStrings {
  Datatype type;
  std::size_t size = 1;
  std::vector<char> bytes;
};
FixedStrings pack_strings(const std::vector<std::string>& values);
/// `_Encoding = "utf-8"` on a dataset of fixed-length strings: xarray (h5netcdf) then decodes
/// its bytes to str, as it did for the variable-length strings of older files.
void write_encoding_attribute(hid_t dataset);

// ---- compound tables (scorecard, hindcast, posterior) ----
/// One field of a table row: a member of the in-memory struct at `offset`. Text fields are
/// `const char*` in the struct and fixed-length UTF-8 strings in the file; the others are numbers
/// of the named width, little-endian in the file.
struct TableField {
  const char* name;
  std::size_t offset;
  enum Kind { Text, F64, I32, U32, U8 } kind;
};
/// The rows of a table packed for writing: `type` is the file type (text fields as long as
/// their longest value), `bytes` the rows in that layout (numbers in native byte order; `type`'s
/// memory twin is `memory_type`).
struct PackedTable {
  Datatype type;
  Datatype memory_type;
  std::vector<unsigned char> bytes;
};
/// `count` structs of `record_size` bytes at `records`, described by `fields`.
PackedTable pack_table(const std::vector<TableField>& fields, const void* records,
                       std::size_t record_size, std::size_t count);
/// Reads the 1-D compound `dataset` into `count` structs of `record_size` bytes at `records`
/// (value-initialised by the caller; `count` is the dataset's extent): text members fixed-length
/// or (older files) variable-length, fields missing from the file left as they are. The text
/// fields point into the returned strings, which must outlive `records`. Throws IoError.
std::vector<std::string> read_table(hid_t dataset, const std::vector<TableField>& fields,
                                    void* records, std::size_t record_size, std::size_t count);
/// The row count of the 1-D table `dataset`; throws IoError when its dataspace is not 1-D or
/// claims more rows than any table of plansim's holds (a damaged file).
std::size_t table_rows(hid_t dataset);
/// Dataset creation properties of a 1-D table of `rows` rows: one chunk with Fletcher32 when
/// non-empty, no object times.
PropertyList table_creation_properties(hsize_t rows);

// ---- writing attributes ----
void write_string_attribute(hid_t object, const std::string& name, const std::string& value);
void write_string_array_attribute(hid_t object, const std::string& name,
                                  const std::vector<std::string>& values);
/// A scalar numeric attribute: `file_type` is stored, `memory_type` describes `*value`.
void write_numeric_attribute(hid_t object, const std::string& name, hid_t file_type,
                             hid_t memory_type, const void* value);

// ---- generic readers (netCDF-4, xarray, h5netcdf) ----
/// Makes the 1-D `dataset` the HDF5 dimension scale of the dimension named like its link (H5DS):
/// netCDF-4 tools and xarray read it as that dimension's coordinate.
void make_dimension_scale(hid_t dataset, const std::string& dimension);
/// Attaches `scale` to axis `axis` of `dataset`.
void attach_dimension_scale(hid_t dataset, hid_t scale, unsigned axis);
/// The UDUNITS-2 form of one of plansim's units for CF's `units` attribute ("%" -> "percent",
/// "per 1000" -> "1e-3", counts -> "1", "persons per km2" -> "km-2"); the unit itself when
/// UDUNITS has none (currencies: "元", "亿元").
std::string udunits(const std::string& unit);
/// CF's `units` (UDUNITS form of `unit`) and `long_name`.
void write_cf_attributes(hid_t dataset, const std::string& unit, const std::string& long_name);
/// CF's `_FillValue` = NaN, as float64 (for float64 datasets whose HDF5 fill value is NaN).
void write_nan_fill_attribute(hid_t dataset);
/// A 1-D axis in `parent`: a dataset named `dimension` holding `values`, made the dimension
/// scale of that name, with a `long_name`. Attach it to the datasets that use the axis.
Dataset write_axis(hid_t parent, const std::string& dimension, const std::vector<int>& values,
                   const std::string& long_name);
Dataset write_axis(hid_t parent, const std::string& dimension,
                   const std::vector<std::string>& values, const std::string& long_name);
/// Creation properties of `property_class` without object times (files identical run to run);
/// H5P_FILE_CREATE gives them to the root group.
PropertyList creation_properties(hid_t property_class);
/// A group without object times whose links stay in its (checksummed) object header, not in a
/// fractal heap: HDF5 1.10 may crash on a damaged heap instead of refusing it.
Group create_group(hid_t parent, std::string_view name);
/// A contiguous dataset of `dims` written from `data` (nothing written when a dimension is 0).
Dataset write_dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                      const std::vector<hsize_t>& dims, const void* data);

// ---- reading ----
/// Names of the attributes of `object`, in name order.
std::vector<std::string> attribute_names(hid_t object);
/// All string values of a string attribute or dataset (vlen or fixed length), in order.
std::vector<std::string> read_strings(hid_t attribute_or_dataset, bool is_attribute);
/// A scalar string attribute; throws IoError if absent or not a string.
std::string read_string_attribute(hid_t object, const std::string& name);
/// A string attribute if present, else "".
std::string read_string_attribute_or_empty(hid_t object, const std::string& name);

}  // namespace plansim::h5
