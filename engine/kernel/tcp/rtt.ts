/**
 * The sender's RTT estimate and retransmission timeout as Linux 3.16 keeps them (tcp_rtt_estimator,
 * __tcp_set_rto in net/ipv4/tcp_input.c): srtt in µs scaled by 8, mdev by 4, rttvar never below
 * TCP_RTO_MIN, rto = srtt/8 + rttvar rounded up to jiffies.
 */
import { TCP_RTO_MAX_MS, TCP_RTO_MIN_US } from './constants';
import { after, usecsToJiffies } from './jiffies';
import type { TcpSock, TcpStack } from './types';

export function rttEstimator(s: TcpSock, mrttUs: number): void {
  let m = Math.max(0, Math.round(mrttUs));
  let srtt = s.srttUs;
  if (srtt !== 0) {
    m -= srtt >> 3;
    srtt += m;
    if (m < 0) {
      m = -m;
      m -= s.mdevUs >> 2;
      if (m > 0) m >>= 3;
    } else {
      m -= s.mdevUs >> 2;
    }
    s.mdevUs += m;
    if (s.mdevUs > s.mdevMaxUs) {
      s.mdevMaxUs = s.mdevUs;
      if (s.mdevMaxUs > s.rttvarUs) s.rttvarUs = s.mdevMaxUs;
    }
    if (after(s.sndUna, s.rttSeq)) {
      if (s.mdevMaxUs < s.rttvarUs) s.rttvarUs -= (s.rttvarUs - s.mdevMaxUs) >> 2;
      s.rttSeq = s.sndNxt;
      s.mdevMaxUs = TCP_RTO_MIN_US;
    }
  } else {
    srtt = m << 3;
    s.mdevUs = m << 1;
    s.rttvarUs = Math.max(s.mdevUs, TCP_RTO_MIN_US);
    s.mdevMaxUs = s.rttvarUs;
    s.rttSeq = s.sndNxt;
  }
  s.srttUs = Math.max(1, srtt);
}

export function setRto(tcp: TcpStack, s: TcpSock): void {
  s.rto = Math.min(usecsToJiffies(tcp, (s.srttUs >> 3) + s.rttvarUs), (TCP_RTO_MAX_MS * tcp.hz) / 1000);
}

/** a new RTT sample (tcp_ack_update_rtt) */
export function rttSample(tcp: TcpStack, s: TcpSock, us: number): void {
  rttEstimator(s, us);
  setRto(tcp, s);
}
