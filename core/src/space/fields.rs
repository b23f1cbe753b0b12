//! Reading and writing single fields of an automerge map.
//!
//! Records are mapped by hand rather than reconciled whole: an edit writes
//! only the keys it changes, so fields this version does not know (written
//! by a newer one) are never touched and survive every round trip. Readers
//! are lenient: a missing or odd value reads as absent, never as a panic.

use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, transaction::Transactable};
use time::{Date, OffsetDateTime};

use crate::model::{format_date, format_time};

pub(crate) type DocResult<T> = std::result::Result<T, automerge::AutomergeError>;

pub(crate) fn get_str<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key).ok().flatten()? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

pub(crate) fn get_i64<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Option<i64> {
    match doc.get(obj, key).ok().flatten()? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Int(i) => Some(*i),
            ScalarValue::Uint(u) => i64::try_from(*u).ok(),
            _ => None,
        },
        _ => None,
    }
}

/// The object stored at `key`, if it is one of `kind`.
pub(crate) fn get_obj<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str, kind: ObjType) -> Option<ObjId> {
    match doc.get(obj, key).ok().flatten()? {
        (Value::Object(t), id) if t == kind => Some(id),
        _ => None,
    }
}

/// The map objects of the list at `key`, in order.
pub(crate) fn get_map_list<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Vec<ObjId> {
    let Some(list) = get_obj(doc, obj, key, ObjType::List) else {
        return Vec::new();
    };
    (0..doc.length(&list))
        .filter_map(|i| match doc.get(&list, i).ok().flatten()? {
            (Value::Object(ObjType::Map), id) => Some(id),
            _ => None,
        })
        .collect()
}

pub(crate) fn put_str<T: Transactable>(
    tx: &mut T,
    obj: &ObjId,
    key: &str,
    v: &str,
) -> DocResult<()> {
    tx.put(obj, key, v)
}

/// Writes `Some` or deletes the key for `None`.
pub(crate) fn put_opt_str<T: Transactable>(
    tx: &mut T,
    obj: &ObjId,
    key: &str,
    v: Option<&str>,
) -> DocResult<()> {
    match v {
        Some(v) => tx.put(obj, key, v),
        None => {
            if tx.get(obj, key)?.is_some() {
                tx.delete(obj, key)?;
            }
            Ok(())
        }
    }
}

pub(crate) fn put_time<T: Transactable>(
    tx: &mut T,
    obj: &ObjId,
    key: &str,
    t: OffsetDateTime,
) -> DocResult<()> {
    tx.put(obj, key, format_time(t))
}

pub(crate) fn put_opt_date<T: Transactable>(
    tx: &mut T,
    obj: &ObjId,
    key: &str,
    d: Option<Date>,
) -> DocResult<()> {
    put_opt_str(tx, obj, key, d.map(format_date).as_deref())
}

/// Replaces the list at `key` by a new list holding `values`.
pub(crate) fn put_str_list<T: Transactable>(
    tx: &mut T,
    obj: &ObjId,
    key: &str,
    values: &[String],
) -> DocResult<()> {
    let list = tx.put_object(obj, key, ObjType::List)?;
    for (i, v) in values.iter().enumerate() {
        tx.insert(&list, i, v.as_str())?;
    }
    Ok(())
}

/// Appends a new map to the list at `key` (creating the list if needed).
pub(crate) fn push_map<T: Transactable>(tx: &mut T, obj: &ObjId, key: &str) -> DocResult<ObjId> {
    let list = match get_obj(tx, obj, key, ObjType::List) {
        Some(l) => l,
        None => tx.put_object(obj, key, ObjType::List)?,
    };
    let len = tx.length(&list);
    tx.insert_object(&list, len, ObjType::Map)
}
