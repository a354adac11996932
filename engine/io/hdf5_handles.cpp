#include "io/hdf5_handles.h"

#include <fcntl.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "io/hdf5_writer.h"

namespace plansim::h5 {

ErrorSilencer::ErrorSilencer() {
  H5Eget_auto2(H5E_DEFAULT, &function_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

ErrorSilencer::~ErrorSilencer() { H5Eset_auto2(H5E_DEFAULT, function_, data_); }

// ---- MemoryFile ----

struct MemoryFile::Image {
  void* bytes = nullptr;  // the core driver's buffer, ours once the file has closed
  std::size_t size = 0;   // its allocated size (whole increments; the file may end earlier)
  bool closed = false;
  ~Image() { std::free(bytes); }
};

namespace {

using Image = MemoryFile::Image;

// The core driver allocates, grows and frees its buffer through these, so that the buffer of the
// closed file (its superblock final) stays here instead of being freed.
void* image_malloc(std::size_t size, H5FD_file_image_op_t, void* udata) {
  auto* image = static_cast<Image*>(udata);
  image->bytes = std::malloc(size);
  image->size = image->bytes ? size : 0;
  return image->bytes;
}

void* image_memcpy(void* destination, const void* source, std::size_t size, H5FD_file_image_op_t,
                   void*) {
  return std::memcpy(destination, source, size);
}

void* image_realloc(void* bytes, std::size_t size, H5FD_file_image_op_t, void* udata) {
  auto* image = static_cast<Image*>(udata);
  void* grown = std::realloc(bytes, size);
  if (grown) {
    image->bytes = grown;
    image->size = size;
  }
  return grown;
}

herr_t image_free(void* bytes, H5FD_file_image_op_t operation, void* udata) {
  auto* image = static_cast<Image*>(udata);
  if (operation == H5FD_FILE_IMAGE_OP_FILE_CLOSE && bytes == image->bytes) {
    image->closed = true;  // kept for save(); ~Image frees it
    return 0;
  }
  if (bytes == image->bytes) {
    image->bytes = nullptr;
    image->size = 0;
  }
  std::free(bytes);
  return 0;
}

// Every copy of the access list shares the one Image, which outlives the file.
void* image_udata_copy(void* udata) { return udata; }
herr_t image_udata_free(void*) { return 0; }

/// The end of the file its superblock records (the buffer is allocated in whole increments), or
/// `size` when the superblock is not one this reads (the bytes after the end are then kept).
std::size_t stored_end_of_file(const unsigned char* bytes, std::size_t size) {
  static const unsigned char signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  if (size < 16 || std::memcmp(bytes, signature, 8) != 0) return size;
  // HDF5 file format, superblock versions 0-3: the end-of-file address follows the base and one
  // more address (free-space info, or the superblock extension from version 2 on).
  const unsigned version = bytes[8];
  std::size_t offset_size = 0, at = 0;
  if (version <= 1) {
    offset_size = bytes[13];
    at = (version == 0 ? 24 : 28) + 2 * offset_size;
  } else if (version <= 3) {
    offset_size = bytes[9];
    at = 12 + 2 * offset_size;
  } else {
    return size;
  }
  if (offset_size == 0 || offset_size > 8 || at + offset_size > size) return size;
  std::uint64_t end = 0;
  for (std::size_t i = 0; i < offset_size; ++i)
    end |= static_cast<std::uint64_t>(bytes[at + i]) << (8 * i);
  return end > 0 && end <= size ? static_cast<std::size_t>(end) : size;
}

PropertyList in_memory_access(hid_t access, Image* image) {
  PropertyList copy(check_id(H5Pcopy(access), "cannot copy file access properties"));
  // Grow in steps of 1 MiB; no backing store: HDF5 itself never writes the file.
  check_status(H5Pset_fapl_core(copy.get(), std::size_t{1} << 20, false),
               "cannot set the in-memory file driver");
  // No lock: HDF5 only reads the file whole (open) or never sees it (create); the saved file is
  // a temporary renamed into place.
  check_status(H5Pset_file_locking(copy.get(), false, true), "cannot set file locking");
  H5FD_file_image_callbacks_t callbacks = {image_malloc, image_memcpy,     image_realloc,
                                           image_free,   image_udata_copy, image_udata_free,
                                           image};
  check_status(H5Pset_file_image_callbacks(copy.get(), &callbacks),
               "cannot set the in-memory file callbacks");
  return copy;
}

}  // namespace

MemoryFile::MemoryFile(std::unique_ptr<Image> image, hid_t access)
    : image_(std::move(image)), access_(in_memory_access(access, image_.get())) {}

MemoryFile::MemoryFile(MemoryFile&&) noexcept = default;
MemoryFile::~MemoryFile() = default;

MemoryFile MemoryFile::create(const std::string& name, hid_t access, hid_t creation) {
  MemoryFile file(std::make_unique<Image>(), access);
  file.file_ = File(check_id(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, creation, file.access_.get()),
                             "cannot create '" + name + "' in memory"));
  return file;
}

void MemoryFile::save(const std::string& path) {
  check_status(file_.close(), "cannot finish '" + path + "'");
  if (!image_->closed || !image_->bytes) throw IoError("cannot finish '" + path + "': no image");
  const auto* bytes = static_cast<const unsigned char*>(image_->bytes);
  const std::size_t size = stored_end_of_file(bytes, image_->size);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw IoError("cannot create '" + path + "': " + std::strerror(errno));
  const auto failed = [&path](int error) {
    return IoError("cannot finish '" + path + "': file write failed: " + std::strerror(error));
  };
  for (std::size_t written = 0; written < size;) {
    const ssize_t n = ::write(fd, bytes + written, size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      ::close(fd);
      throw failed(error);
    }
    written += static_cast<std::size_t>(n);
  }
  // On the disk before the caller renames it over the old file; a network file system may report
  // a failed write only here or at close.
  if (::fsync(fd) != 0 && errno != EINVAL) {
    const int error = errno;
    ::close(fd);
    throw failed(error);
  }
  if (::close(fd) != 0) throw failed(errno);
}

void MemoryFile::save_replacing(const std::string& path) {
  const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  try {
    save(temporary);
  } catch (const IoError&) {
    std::remove(temporary.c_str());
    throw;
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(temporary.c_str());
    throw IoError("cannot rename '" + temporary + "' to it: " + why);
  }
}

namespace {

herr_t collect_description(unsigned depth, const H5E_error2_t* error, void* client) {
  // Walking downward, the last frame is the innermost one, which says what actually went wrong.
  auto* description = static_cast<std::string*>(client);
  if (error->desc && *error->desc) *description = error->desc;
  (void)depth;
  return 0;
}

}  // namespace

std::string error_description() {
  std::string description;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_description, &description);
  H5Eclear2(H5E_DEFAULT);
  // A failed system call comes as "unable to open file: name = …, errno = 2, error message =
  // 'No such file or directory', …": the system's reason is what a user can act on.
  const std::string reason_key = "error message = '";
  const std::size_t reason = description.find(reason_key);
  if (reason != std::string::npos) {
    const std::size_t start = reason + reason_key.size();
    const std::size_t end = description.find('\'', start);
    if (end != std::string::npos) description = description.substr(start, end - start);
  }
  return description;
}

void fail(const std::string& what) {
  const std::string description = error_description();
  throw IoError(description.empty() ? what : what + ": " + description);
}

hid_t check_id(hid_t id, const std::string& what) {
  if (id < 0) fail(what);
  return id;
}

void check_status(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

void use_checksummed_metadata(hid_t access) {
  check_status(H5Pset_libver_bounds(access, H5F_LIBVER_V110, H5F_LIBVER_LATEST),
               "cannot set the file format versions");
}

Datatype utf8_string_type() {
  Datatype type(check_id(H5Tcopy(H5T_C_S1), "cannot copy the string type"));
  check_status(H5Tset_size(type.get(), H5T_VARIABLE), "cannot make a variable-length string");
  check_status(H5Tset_cset(type.get(), H5T_CSET_UTF8), "cannot set UTF-8 on the string type");
  return type;
}

Datatype fixed_utf8_string_type(std::size_t bytes) {
  Datatype type(check_id(H5Tcopy(H5T_C_S1), "cannot copy the string type"));
  check_status(H5Tset_size(type.get(), std::max<std::size_t>(bytes, 1)),
               "cannot set the size of a string type");
  check_status(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), "cannot set the string padding");
  check_status(H5Tset_cset(type.get(), H5T_CSET_UTF8), "cannot set UTF-8 on the string type");
  return type;
}

FixedStrings pack_strings(const std::vector<std::string>& values) {
  FixedStrings packed;
  for (const std::string& value : values) packed.size = std::max(packed.size, value.size());
  packed.type = fixed_utf8_string_type(packed.size);
  packed.bytes.assign(packed.size * values.size(), '\0');
  for (std::size_t i = 0; i < values.size(); ++i)
    std::memcpy(packed.bytes.data() + i * packed.size, values[i].data(), values[i].size());
  return packed;
}

void write_encoding_attribute(hid_t dataset) {
  write_string_attribute(dataset, "_Encoding", "utf-8");
}

void write_string_attribute(hid_t object, const std::string& name, const std::string& value) {
  const FixedStrings packed = pack_strings({value});
  const Dataspace space(check_id(H5Screate(H5S_SCALAR), "cannot create a scalar dataspace"));
  const Attribute attribute(check_id(
      H5Acreate2(object, name.c_str(), packed.type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      "cannot create attribute '" + name + "'"));
  check_status(H5Awrite(attribute.get(), packed.type.get(), packed.bytes.data()),
               "cannot write attribute '" + name + "'");
}

void write_string_array_attribute(hid_t object, const std::string& name,
                                  const std::vector<std::string>& values) {
  const FixedStrings packed = pack_strings(values);
  const hsize_t count = values.size();
  const Dataspace space(check_id(H5Screate_simple(1, &count, nullptr),
                                 "cannot create the dataspace of attribute '" + name + "'"));
  const Attribute attribute(check_id(
      H5Acreate2(object, name.c_str(), packed.type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      "cannot create attribute '" + name + "'"));
  if (!values.empty())
    check_status(H5Awrite(attribute.get(), packed.type.get(), packed.bytes.data()),
                 "cannot write attribute '" + name + "'");
}

namespace {

std::size_t field_size(TableField::Kind kind) {
  switch (kind) {
    case TableField::F64:
      return 8;
    case TableField::I32:
    case TableField::U32:
      return 4;
    case TableField::U8:
      return 1;
    case TableField::Text:
      break;
  }
  return sizeof(const char*);
}

hid_t numeric_type(TableField::Kind kind, bool file) {
  switch (kind) {
    case TableField::F64:
      return file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE;
    case TableField::I32:
      return file ? H5T_STD_I32LE : H5T_NATIVE_INT32;
    case TableField::U32:
      return file ? H5T_STD_U32LE : H5T_NATIVE_UINT32;
    case TableField::U8:
      return file ? H5T_STD_U8LE : H5T_NATIVE_UINT8;
    case TableField::Text:
      break;
  }
  return H5I_INVALID_HID;
}

/// Longest string above which a stored string type is taken for damage.
constexpr std::size_t kMaxStringBytes = std::size_t{1} << 30;
/// Most bytes a string attribute, dataset or table may claim before it is refused as damaged.
constexpr std::size_t kMaxStringTotal = std::size_t{1} << 31;
/// Most rows a table (scorecard, hindcast, posterior estimates) may claim.
constexpr std::size_t kMaxTableRows = std::size_t{1} << 24;

}  // namespace

PackedTable pack_table(const std::vector<TableField>& fields, const void* records,
                       std::size_t record_size, std::size_t count) {
  const auto* rows = static_cast<const unsigned char*>(records);
  const auto text_at = [&](std::size_t row, const TableField& f) {
    const char* text = nullptr;
    std::memcpy(&text, rows + row * record_size + f.offset, sizeof text);
    return text ? text : "";
  };
  // The size of each field in the file: text as long as its longest value.
  std::vector<std::size_t> sizes;
  std::size_t row_size = 0;
  for (const TableField& f : fields) {
    std::size_t size = field_size(f.kind);
    if (f.kind == TableField::Text) {
      size = 1;
      for (std::size_t r = 0; r < count; ++r) size = std::max(size, std::strlen(text_at(r, f)));
    }
    sizes.push_back(size);
    row_size += size;
  }
  PackedTable table;
  table.type = Datatype(check_id(H5Tcreate(H5T_COMPOUND, row_size), "cannot create a table type"));
  table.memory_type =
      Datatype(check_id(H5Tcreate(H5T_COMPOUND, row_size), "cannot create a table type"));
  std::size_t offset = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const TableField& f = fields[i];
    if (f.kind == TableField::Text) {
      const Datatype text = fixed_utf8_string_type(sizes[i]);
      check_status(H5Tinsert(table.type.get(), f.name, offset, text.get()),
                   std::string("cannot add field '") + f.name + "'");
      check_status(H5Tinsert(table.memory_type.get(), f.name, offset, text.get()),
                   std::string("cannot add field '") + f.name + "'");
    } else {
      check_status(H5Tinsert(table.type.get(), f.name, offset, numeric_type(f.kind, true)),
                   std::string("cannot add field '") + f.name + "'");
      check_status(H5Tinsert(table.memory_type.get(), f.name, offset, numeric_type(f.kind, false)),
                   std::string("cannot add field '") + f.name + "'");
    }
    offset += sizes[i];
  }
  table.bytes.assign(row_size * count, 0);
  for (std::size_t r = 0; r < count; ++r) {
    unsigned char* out = table.bytes.data() + r * row_size;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const TableField& f = fields[i];
      if (f.kind == TableField::Text) {
        const char* text = text_at(r, f);
        std::memcpy(out, text, std::strlen(text));
      } else {
        std::memcpy(out, rows + r * record_size + f.offset, sizes[i]);
      }
      out += sizes[i];
    }
  }
  return table;
}

std::vector<std::string> read_table(hid_t dataset, const std::vector<TableField>& fields,
                                    void* records, std::size_t record_size, std::size_t count) {
  std::vector<std::string> texts;
  if (count == 0) return texts;
  const Datatype file_type(check_id(H5Dget_type(dataset), "cannot read the type of a table"));
  if (H5Tget_class(file_type.get()) != H5T_COMPOUND) throw IoError("not a table (compound type)");
  // The memory layout: the fields the file has, packed, each text in its stored form (HDF5
  // converts neither fixed to variable-length strings nor back).
  struct Member {
    const TableField* field;
    std::size_t offset, size;
    bool variable;
  };
  std::vector<Member> members;
  std::vector<Datatype> member_types;
  std::size_t row_size = 0;
  for (const TableField& f : fields) {
    const int index = H5Tget_member_index(file_type.get(), f.name);
    if (index < 0) {
      H5Eclear2(H5E_DEFAULT);
      continue;
    }
    const Datatype stored(
        check_id(H5Tget_member_type(file_type.get(), static_cast<unsigned>(index)),
                 std::string("cannot read the type of field '") + f.name + "'"));
    Member m{&f, row_size, field_size(f.kind), false};
    if (f.kind == TableField::Text) {
      if (H5Tget_class(stored.get()) != H5T_STRING)
        throw IoError(std::string("field '") + f.name + "' is not text");
      const htri_t variable = H5Tis_variable_str(stored.get());
      check_status(static_cast<herr_t>(variable), "cannot inspect a string type");
      m.variable = variable > 0;
      if (m.variable) {
        Datatype memory = utf8_string_type();
        check_status(H5Tset_cset(memory.get(), H5Tget_cset(stored.get())),
                     "cannot set the character set");
        member_types.push_back(std::move(memory));
        m.size = sizeof(char*);
      } else {
        m.size = H5Tget_size(stored.get());
        if (m.size == 0 || m.size > kMaxStringBytes)
          throw IoError(std::string("field '") + f.name + "' has an impossible size");
        member_types.push_back(
            Datatype(check_id(H5Tcopy(stored.get()), "cannot copy a string type")));
      }
    } else {
      member_types.push_back(
          Datatype(check_id(H5Tcopy(numeric_type(f.kind, false)), "cannot copy a number type")));
    }
    members.push_back(m);
    row_size += m.size;
  }
  if (row_size == 0) return texts;
  if (count > kMaxStringTotal / row_size) throw IoError("the table claims an impossible size");
  Datatype memory_type(check_id(H5Tcreate(H5T_COMPOUND, row_size), "cannot create a table type"));
  for (std::size_t i = 0; i < members.size(); ++i)
    check_status(H5Tinsert(memory_type.get(), members[i].field->name, members[i].offset,
                           member_types[i].get()),
                 std::string("cannot add field '") + members[i].field->name + "'");
  std::vector<unsigned char> bytes(row_size * count, 0);
  check_status(H5Dread(dataset, memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()),
               "cannot read the table");
  std::size_t text_members = 0;
  for (const Member& m : members) text_members += m.field->kind == TableField::Text;
  texts.reserve(text_members * count);  // no reallocation below: the pointers stay valid
  bool any_variable = false;
  for (std::size_t r = 0; r < count; ++r) {
    const unsigned char* row = bytes.data() + r * row_size;
    for (const Member& m : members) {
      if (m.field->kind != TableField::Text) continue;
      if (m.variable) {
        any_variable = true;
        const char* text = nullptr;
        std::memcpy(&text, row + m.offset, sizeof text);
        texts.emplace_back(text ? text : "");
      } else {
        const char* text = reinterpret_cast<const char*>(row + m.offset);
        texts.emplace_back(text, strnlen(text, m.size));
      }
    }
  }
  if (any_variable) {
    const Dataspace space(check_id(H5Dget_space(dataset), "cannot read a dataspace"));
    H5Dvlen_reclaim(memory_type.get(), space.get(), H5P_DEFAULT, bytes.data());
  }
  auto* out = static_cast<unsigned char*>(records);
  std::size_t next = 0;
  for (std::size_t r = 0; r < count; ++r) {
    const unsigned char* row = bytes.data() + r * row_size;
    for (const Member& m : members) {
      unsigned char* to = out + r * record_size + m.field->offset;
      if (m.field->kind == TableField::Text) {
        const char* text = texts[next++].c_str();
        std::memcpy(to, &text, sizeof text);
      } else {
        std::memcpy(to, row + m.offset, m.size);
      }
    }
  }
  return texts;
}

std::size_t table_rows(hid_t dataset) {
  const Dataspace space(check_id(H5Dget_space(dataset), "cannot read the dataspace of a table"));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank != 1) throw IoError("the table is not one-dimensional");
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points < 0 || static_cast<std::size_t>(points) > kMaxTableRows)
    throw IoError("the table claims an impossible number of rows");
  return static_cast<std::size_t>(points);
}

PropertyList table_creation_properties(hsize_t rows) {
  PropertyList properties = creation_properties(H5P_DATASET_CREATE);
  if (rows > 0) {
    check_status(H5Pset_chunk(properties.get(), 1, &rows), "cannot chunk a table");
    check_status(H5Pset_fletcher32(properties.get()), "cannot checksum a table");
  }
  return properties;
}

void write_numeric_attribute(hid_t object, const std::string& name, hid_t file_type,
                             hid_t memory_type, const void* value) {
  const Dataspace space(check_id(H5Screate(H5S_SCALAR), "cannot create a scalar dataspace"));
  const Attribute attribute(
      check_id(H5Acreate2(object, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
               "cannot create attribute '" + name + "'"));
  check_status(H5Awrite(attribute.get(), memory_type, value),
               "cannot write attribute '" + name + "'");
}

namespace {

herr_t collect_attribute_name(hid_t, const char* name, const H5A_info_t*, void* client) {
  static_cast<std::vector<std::string>*>(client)->emplace_back(name);
  return 0;
}

}  // namespace

std::vector<std::string> attribute_names(hid_t object) {
  std::vector<std::string> names;
  hsize_t index = 0;
  check_status(
      H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, collect_attribute_name, &names),
      "cannot list attributes");
  return names;
}

std::vector<std::string> read_strings(hid_t object, bool is_attribute) {
  const Datatype file_type(
      check_id(is_attribute ? H5Aget_type(object) : H5Dget_type(object), "cannot read the type"));
  if (H5Tget_class(file_type.get()) != H5T_STRING) throw IoError("not a string value");
  const Dataspace space(check_id(is_attribute ? H5Aget_space(object) : H5Dget_space(object),
                                 "cannot read the dataspace"));
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points < 0) fail("cannot count the strings");
  const auto count = static_cast<std::size_t>(points);
  std::vector<std::string> values;
  values.reserve(count);
  if (count == 0) return values;

  const htri_t variable = H5Tis_variable_str(file_type.get());
  check_status(static_cast<herr_t>(variable), "cannot inspect the string type");
  if (variable > 0) {
    if (count > kMaxStringTotal / sizeof(char*))
      throw IoError("the strings claim an impossible count (" + std::to_string(count) + ")");
    Datatype memory_type = utf8_string_type();
    check_status(H5Tset_cset(memory_type.get(), H5Tget_cset(file_type.get())),
                 "cannot set the character set");
    std::vector<char*> texts(count, nullptr);
    const herr_t status = is_attribute ? H5Aread(object, memory_type.get(), texts.data())
                                       : H5Dread(object, memory_type.get(), H5S_ALL, H5S_ALL,
                                                 H5P_DEFAULT, texts.data());
    check_status(status, "cannot read strings");
    for (const char* text : texts) values.emplace_back(text ? text : "");
    H5Dvlen_reclaim(memory_type.get(), space.get(), H5P_DEFAULT, texts.data());
    return values;
  }
  // Fixed-length strings (plansim's, NUL-padded; other tools' NUL-terminated or space-padded).
  const std::size_t size = H5Tget_size(file_type.get());
  if (size == 0 || size > kMaxStringBytes || count > kMaxStringTotal / size)
    throw IoError("the strings claim an impossible size (" + std::to_string(count) + " x " +
                  std::to_string(size) + " bytes)");
  const H5T_str_t pad = H5Tget_strpad(file_type.get());
  std::vector<char> buffer(size * count);
  const herr_t status =
      is_attribute ? H5Aread(object, file_type.get(), buffer.data())
                   : H5Dread(object, file_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data());
  check_status(status, "cannot read strings");
  for (std::size_t i = 0; i < count; ++i) {
    const char* text = buffer.data() + i * size;
    std::string value(text, pad == H5T_STR_SPACEPAD ? size : strnlen(text, size));
    if (pad == H5T_STR_SPACEPAD) value.erase(value.find_last_not_of(' ') + 1);
    values.push_back(std::move(value));
  }
  return values;
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw IoError("attribute '" + name + "' is missing");
  }
  const Attribute attribute(
      check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), "cannot open attribute '" + name + "'"));
  std::vector<std::string> values;
  try {
    values = read_strings(attribute.get(), true);
  } catch (const IoError& error) {
    throw IoError("attribute '" + name + "': " + error.what());
  }
  if (values.size() != 1) throw IoError("attribute '" + name + "' is not a single string");
  return values.front();
}

std::string read_string_attribute_or_empty(hid_t object, const std::string& name) {
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return "";
  }
  return read_string_attribute(object, name);
}

void make_dimension_scale(hid_t dataset, const std::string& dimension) {
  check_status(H5DSset_scale(dataset, dimension.c_str()),
               "cannot make '" + dimension + "' a dimension scale");
}

void attach_dimension_scale(hid_t dataset, hid_t scale, unsigned axis) {
  check_status(H5DSattach_scale(dataset, scale, axis),
               "cannot attach a dimension scale to axis " + std::to_string(axis));
}

std::string udunits(const std::string& unit) {
  // Counts of things (persons, places, firms, ...) are dimensionless in CF: "1".
  static const std::vector<std::pair<std::string, std::string>> table = {
      {"%", "percent"},
      {"percentage points", "percent"},
      {"% per year", "percent year-1"},
      {"%/yr", "percent year-1"},
      {"per 1000", "1e-3"},
      {"beds per 1000", "1e-3"},
      {"per 10000", "1e-4"},
      {"per 10,000 residents", "1e-4"},
      {"persons per km2", "km-2"},
      {"jobs per km2", "km-2"},
      {"km", "km"},
      {"minutes", "min"},
      {"years", "year"},
      {"万人", "1e4"},
      {"persons", "1"},
      {"households", "1"},
      {"children", "1"},
      {"beds", "1"},
      {"places", "1"},
      {"places or beds", "1"},
      {"positions", "1"},
      {"dwellings", "1"},
      {"firms", "1"},
      {"count", "1"},
      {"persons per household", "1"},
      {"places per child", "1"},
      {"jobs (cost-weighted)", "1"},
      {"index (2020 = 1)", "1"},
  };
  for (const auto& [plansim_unit, form] : table)
    if (plansim_unit == unit) return form;
  return unit;
}

void write_cf_attributes(hid_t dataset, const std::string& unit, const std::string& long_name) {
  write_string_attribute(dataset, "units", udunits(unit));
  write_string_attribute(dataset, "long_name", long_name);
}

void write_nan_fill_attribute(hid_t dataset) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  write_numeric_attribute(dataset, "_FillValue", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan);
}

namespace {

Dataset write_axis_data(hid_t parent, const std::string& dimension, hid_t file_type,
                        hid_t memory_type, hsize_t size, const void* data,
                        const std::string& long_name) {
  const Dataspace space(check_id(H5Screate_simple(1, &size, nullptr),
                                 "cannot create the dataspace of '" + dimension + "'"));
  // No modification times (identical inputs give identical files); one checksummed chunk.
  const PropertyList properties = table_creation_properties(size);
  Dataset dataset(check_id(H5Dcreate2(parent, dimension.c_str(), file_type, space.get(),
                                      H5P_DEFAULT, properties.get(), H5P_DEFAULT),
                           "cannot create dataset '" + dimension + "'"));
  if (size > 0)
    check_status(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
                 "cannot write dataset '" + dimension + "'");
  make_dimension_scale(dataset.get(), dimension);
  write_string_attribute(dataset.get(), "long_name", long_name);
  return dataset;
}

}  // namespace

Dataset write_axis(hid_t parent, const std::string& dimension, const std::vector<int>& values,
                   const std::string& long_name) {
  return write_axis_data(parent, dimension, H5T_STD_I32LE, H5T_NATIVE_INT, values.size(),
                         values.data(), long_name);
}

Dataset write_axis(hid_t parent, const std::string& dimension,
                   const std::vector<std::string>& values, const std::string& long_name) {
  const FixedStrings packed = pack_strings(values);
  Dataset dataset = write_axis_data(parent, dimension, packed.type.get(), packed.type.get(),
                                    values.size(), packed.bytes.data(), long_name);
  write_encoding_attribute(dataset.get());
  return dataset;
}

PropertyList creation_properties(hid_t property_class) {
  PropertyList properties(check_id(H5Pcreate(property_class), "cannot create properties"));
  check_status(H5Pset_obj_track_times(properties.get(), 0), "cannot turn off object times");
  return properties;
}

Group create_group(hid_t parent, std::string_view group) {
  const std::string name(group);
  const PropertyList properties = creation_properties(H5P_GROUP_CREATE);
  check_status(H5Pset_link_phase_change(properties.get(), 65535, 65534),
               "cannot keep the links of '" + name + "' compact");
  return Group(
      check_id(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
               "cannot create group '" + name + "'"));
}

Dataset write_dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                      const std::vector<hsize_t>& dims, const void* data) {
  const Dataspace space(
      check_id(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
               "cannot create the dataspace of '" + name + "'"));
  const PropertyList properties = creation_properties(H5P_DATASET_CREATE);
  Dataset dataset(check_id(H5Dcreate2(parent, name.c_str(), file_type, space.get(), H5P_DEFAULT,
                                      properties.get(), H5P_DEFAULT),
                           "cannot create dataset '" + name + "'"));
  bool empty = false;
  for (hsize_t d : dims) empty |= d == 0;
  if (!empty)
    check_status(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
                 "cannot write dataset '" + name + "'");
  return dataset;
}

}  // namespace plansim::h5
