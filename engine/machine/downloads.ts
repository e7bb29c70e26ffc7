/**
 * What a scenario declares about the servers its box can reach: hosts, and the files they hand
 * out (a .deb among them carries the control fields dpkg reads). Types only, so that the scenario
 * can name them without importing the network module that reads them.
 */

/** The control fields of a .deb, as dpkg reads them from the archive. */
export interface DebPackage {
  name: string;
  version: string;
  arch: string;
  section: string;
  summary: string;
  installedSizeKb: number;
  depends: string[];
  /** an image package: the `uname -r` of the kernel it installs */
  kernel?: string;
}

export interface Download {
  url: string;
  bytes: number;
  contentType: string;
  /** YYYY-MM-DD, UTC: the day the server had the file */
  date: string;
  /** the server's Last-Modified (ms), which wget gives the saved file */
  modified: number;
  deb?: DebPackage;
}

export interface NetworkView {
  hosts: ReadonlyArray<{ name: string; ip: string }>;
  files: ReadonlyArray<Download>;
}
