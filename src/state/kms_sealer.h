#pragma once

// Sealing under a KMS data key (docs/state.md, "Sealing of sensitive values"): the state's
// values are encrypted with AES-256-GCM under a 256-bit data key that KMS made
// (GenerateDataKey, KeySpec AES_256, under the backend's `kms_key_id` or the local cloud's
// state key) and that the state keeps only wrapped (State::data_key). Opening the state takes
// kms:Decrypt on that key; the plaintext data key lives in memory only.

#include <string>

#include "aws/client.h"
#include "state/store.h"

namespace cf::state {

// The factory: the state's wrapped data key decrypted by KMS; when the state has none and
// `create` is set, a new one made under `kms_key_id` and recorded in state.data_key. The
// encryption context {"clusterform:state": lineage} binds the data key to its state. `kms`
// must outlive the factory. NotFound (no key to seal under) when `kms_key_id` is empty.
SealerFactory KmsSealers(aws::Client& kms, std::string kms_key_id);

// The alias of the KMS key clusterform makes for its states on the local cloud when the
// backend names none ("alias/clusterform-state").
inline constexpr const char* kLocalCloudStateKeyAlias = "alias/clusterform-state";

// The id of the key behind kLocalCloudStateKeyAlias, created (CreateKey, then CreateAlias) when
// the alias does not exist yet. For the local cloud only: on AWS a key is the user's choice.
Result<std::string> EnsureLocalCloudStateKey(aws::Client& kms);

}  // namespace cf::state
