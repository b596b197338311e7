/**
 * The Mesos v1 JSON shape of `Resource` (mesos.proto, JSON field names as on the wire).
 * Optional fields may also arrive as `null`; parsing treats that as absent.
 */

export type V1ValueType = 'SCALAR' | 'RANGES' | 'SET';

export interface V1Label {
  key: string;
  value?: string;
}

export interface V1Labels {
  labels: V1Label[];
}

/** One level of the post-refinement `reservations` stack. */
export interface V1ReservationInfo {
  type: 'STATIC' | 'DYNAMIC';
  role: string;
  principal?: string;
  labels?: V1Labels;
}

/** The pre-refinement `reservation` marker: present means the `role` reservation is dynamic. */
export interface V1LegacyReservationInfo {
  principal?: string;
  labels?: V1Labels;
}

export interface V1Range {
  begin: number;
  end: number;
}

export interface V1DiskInfo {
  persistence?: { id: string; principal?: string };
  volume?: { container_path: string; mode?: 'RW' | 'RO' };
  source?: { type: 'PATH' | 'MOUNT'; path?: { root?: string }; mount?: { root?: string } };
}

export interface V1Resource {
  name: string;
  type: V1ValueType;
  scalar?: { value: number };
  ranges?: { range: V1Range[] };
  set?: { item: string[] };
  /** Post-refinement format (frameworks with RESERVATION_REFINEMENT). */
  reservations?: V1ReservationInfo[];
  /** Pre-refinement format: the reservation role, `*` when unreserved. */
  role?: string;
  /** Pre-refinement format: marks the `role` reservation as dynamic. */
  reservation?: V1LegacyReservationInfo;
  allocation_info?: { role?: string };
  revocable?: Record<string, never>;
  shared?: Record<string, never>;
  disk?: V1DiskInfo;
}
