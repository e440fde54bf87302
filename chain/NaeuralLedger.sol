// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Naeural settlement: token balances, payment-channel escrows settled with the payer's EIP-712 voucher, close requests
/// with a dispute window, expiry refunds; epoch rewards claimed with a threshold of registered observers' EIP-712 signatures
/// over the epoch's result. The same rules as Naeural.Ledger's embedded ledger (one contract-test suite).
contract NaeuralLedger {
    struct Channel {
        address payer;
        address payee;
        uint256 deposit;
        uint64 expiresAt;
        uint64 closeRequestedUntil;
        bool settled;
        uint256 paidToPayee;
        uint256 refundedToPayer;
    }

    bytes32 private constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 channelId,uint256 amount,uint256 nonce)");
    bytes32 private constant EPOCH_RESULT_TYPEHASH = keccak256("EpochResult(uint256 epoch,address[] nodes,uint8[] availabilities)");
    uint256 private constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    /// The payee always gets at least this long to answer a close request with its best voucher.
    uint64 public constant MIN_DISPUTE_WINDOW = 1 hours;

    address public immutable owner;
    bytes32 public immutable DOMAIN_SEPARATOR;
    mapping(address => uint256) public balanceOf;
    mapping(bytes32 => Channel) public channels;

    /// The observers whose signatures count on epoch results, and how many distinct ones a reward claim needs.
    address[] private observerList;
    mapping(address => bool) public isObserver;
    uint256 public observerThreshold;
    /// Each epoch's reward pool, minted by the owner with fundEpoch (once per epoch): those tokens exist only as claims on it.
    mapping(uint256 => uint256) public epochPools;
    /// The EIP-712 digest of the result an epoch's first claim was made with: every later claim of the epoch must use the same
    /// result, so two conflicting results that both reached the threshold can't pay more than the pool between them.
    mapping(uint256 => bytes32) public epochResults;
    /// What each node claimed of each epoch's pool (0: not claimed; a claim is always positive).
    mapping(uint256 => mapping(address => uint256)) public rewardClaimed;

    /// Nodes holding a licence: admitted as members by nodes that admit licence holders. The owner is the licence authority.
    mapping(address => bool) public licensed;
    address[] private licenceList;

    event Minted(address indexed to, uint256 amount);
    event LicenceGranted(address indexed node);
    event LicenceRevoked(address indexed node);
    event ChannelOpened(bytes32 indexed channelId, address indexed payer, address indexed payee, uint256 deposit, uint64 expiresAt);
    event CloseRequested(bytes32 indexed channelId, uint64 until);
    event ChannelSettled(bytes32 indexed channelId, uint256 paidToPayee, uint256 refundedToPayer);
    event ObserversSet(address[] observers, uint256 threshold);
    event EpochFunded(uint256 indexed epoch, uint256 amount);
    event RewardClaimed(uint256 indexed epoch, address indexed node, uint256 amount);

    constructor() {
        owner = msg.sender;
        DOMAIN_SEPARATOR = keccak256(abi.encode(
            keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
            keccak256(bytes("Naeural")), keccak256(bytes("1")), block.chainid, address(this)));
    }

    function mint(address to, uint256 amount) external {
        require(msg.sender == owner, "only the owner mints");
        require(amount > 0, "mint amount must be positive");
        balanceOf[to] += amount;
        emit Minted(to, amount);
    }

    function openChannel(bytes32 channelId, address payee, uint256 deposit, uint64 duration) external {
        require(channels[channelId].payer == address(0), "channel exists already");
        require(deposit > 0 && balanceOf[msg.sender] >= deposit, "deposit not covered by the payer's balance");
        balanceOf[msg.sender] -= deposit;
        uint64 expiresAt = uint64(block.timestamp) + duration;
        channels[channelId] = Channel(msg.sender, payee, deposit, expiresAt, 0, false, 0, 0);
        emit ChannelOpened(channelId, msg.sender, payee, deposit, expiresAt);
    }

    function settle(bytes32 channelId, uint256 amount, uint256 nonce, bytes calldata signature) external {
        Channel storage c = live(channelId);
        require(msg.sender == c.payee, "only the payee settles its channel");
        require(c.closeRequestedUntil == 0 || block.timestamp <= c.closeRequestedUntil, "the dispute window is over");
        require(amount > 0 && nonce > 0, "NOT_INCREASING: empty voucher");
        require(amount <= c.deposit, "OVER_DEPOSIT: amount above the deposit");
        bytes32 digest = keccak256(abi.encodePacked(hex"1901", DOMAIN_SEPARATOR,
            keccak256(abi.encode(VOUCHER_TYPEHASH, channelId, amount, nonce))));
        require(recover(digest, signature) == c.payer, "BAD_SIGNATURE: not signed by the payer");
        close(channelId, c, amount);
    }

    function requestClose(bytes32 channelId, uint64 disputeWindow) external {
        Channel storage c = live(channelId);
        require(msg.sender == c.payer, "only the payer requests a close");
        require(c.closeRequestedUntil == 0, "a close was requested already");
        require(disputeWindow >= MIN_DISPUTE_WINDOW, "the dispute window is shorter than MIN_DISPUTE_WINDOW");
        c.closeRequestedUntil = uint64(block.timestamp) + disputeWindow;
        emit CloseRequested(channelId, c.closeRequestedUntil);
    }

    function reclaim(bytes32 channelId) external {
        Channel storage c = live(channelId);
        require(msg.sender == c.payer, "only the payer reclaims");
        bool windowOver = c.closeRequestedUntil != 0 && block.timestamp > c.closeRequestedUntil;
        require(windowOver || block.timestamp >= c.expiresAt, "neither expired nor past a requested close's dispute window");
        close(channelId, c, 0);
    }

    /// Replaces the observer registry: distinct non-zero addresses, and a threshold from 1 to their number.
    function setObservers(address[] calldata observers, uint256 threshold) external {
        require(msg.sender == owner, "only the owner sets the observers");
        require(threshold > 0 && threshold <= observers.length, "the threshold must be from 1 to the number of observers");
        for (uint256 i = 0; i < observerList.length; i++) {
            isObserver[observerList[i]] = false;
        }
        delete observerList;
        for (uint256 i = 0; i < observers.length; i++) {
            require(observers[i] != address(0) && !isObserver[observers[i]], "observers must be distinct non-zero addresses");
            isObserver[observers[i]] = true;
            observerList.push(observers[i]);
        }
        observerThreshold = threshold;
        emit ObserversSet(observers, threshold);
    }

    function getObservers() external view returns (address[] memory) {
        return observerList;
    }

    /// The licence authority (the owner) admits a node to the network.
    function grantLicence(address node) external {
        require(msg.sender == owner, "only the owner grants licences");
        require(node != address(0), "a licence is for a node address");
        require(!licensed[node], "the node holds a licence already");
        licensed[node] = true;
        licenceList.push(node);
        emit LicenceGranted(node);
    }

    /// The licence authority (the owner) withdraws a node's licence.
    function revokeLicence(address node) external {
        require(msg.sender == owner, "only the owner revokes licences");
        require(licensed[node], "the node holds no licence");
        licensed[node] = false;
        for (uint256 i = 0; i < licenceList.length; i++) {
            if (licenceList[i] == node) {
                licenceList[i] = licenceList[licenceList.length - 1];
                licenceList.pop();
                break;
            }
        }
        emit LicenceRevoked(node);
    }

    /// The nodes holding a licence now.
    function getLicences() external view returns (address[] memory) {
        return licenceList;
    }

    /// Mints an epoch's reward pool (once per epoch: shares are computed on it, so it can't change under earlier claims).
    function fundEpoch(uint256 epoch, uint256 amount) external {
        require(msg.sender == owner, "only the owner funds epochs");
        require(amount > 0, "the reward pool must be positive");
        require(epochPools[epoch] == 0, "the epoch is funded already");
        epochPools[epoch] = amount;
        emit EpochFunded(epoch, amount);
    }

    /// A node of the epoch's result claims pool * its availability / the sum of availabilities, once, with the signatures of
    /// at least observerThreshold distinct registered observers over the result (others are ignored). Nodes ascend by address.
    function claimReward(uint256 epoch, address[] calldata nodes, uint8[] calldata availabilities, bytes[] calldata signatures) external {
        require(observerThreshold > 0, "NO_OBSERVERS: no observers are registered");
        (uint256 mine, uint256 total) = shareOf(nodes, availabilities, msg.sender);
        uint256 pool = epochPools[epoch];
        require(pool > 0, "NO_POOL: the epoch has no reward pool");
        require(mine != type(uint256).max, "NOT_IN_RESULT: the claimant is not a node of this result");
        require(rewardClaimed[epoch][msg.sender] == 0, "ALREADY_CLAIMED: this node claimed its reward of this epoch already");
        bytes32 digest = keccak256(abi.encodePacked(hex"1901", DOMAIN_SEPARATOR, keccak256(abi.encode(EPOCH_RESULT_TYPEHASH, epoch,
            keccak256(abi.encodePacked(nodes)), keccak256(abi.encodePacked(availabilities))))));
        require(epochResults[epoch] == 0 || epochResults[epoch] == digest, "OTHER_RESULT: a different result of this epoch was claimed already");
        require(distinctObservers(digest, signatures) >= observerThreshold,
            "NOT_ENOUGH_SIGNATURES: fewer distinct observers than the threshold signed this result");
        uint256 amount = total == 0 ? 0 : pool * mine / total;
        require(amount > 0, "NOTHING_TO_CLAIM: the claimant's share is zero");
        epochResults[epoch] = digest;
        rewardClaimed[epoch][msg.sender] = amount;
        balanceOf[msg.sender] += amount;
        emit RewardClaimed(epoch, msg.sender, amount);
    }

    /// The claimant's availability (type(uint256).max when it is not a node) and the sum of all, checking the result's shape.
    function shareOf(address[] calldata nodes, uint8[] calldata availabilities, address claimant) private pure returns (uint256 mine, uint256 total) {
        require(nodes.length > 0 && nodes.length == availabilities.length, "BAD_RESULT: one availability per node, at least one node");
        mine = type(uint256).max;
        for (uint256 i = 0; i < nodes.length; i++) {
            require(i == 0 || nodes[i] > nodes[i - 1], "BAD_RESULT: nodes must ascend by address, without duplicates");
            total += availabilities[i];
            if (nodes[i] == claimant) {
                mine = availabilities[i];
            }
        }
    }

    /// How many distinct registered observers signed the digest (malformed, high-s and foreign signatures count for nothing).
    function distinctObservers(bytes32 digest, bytes[] calldata signatures) private view returns (uint256 count) {
        address[] memory seen = new address[](signatures.length);
        for (uint256 i = 0; i < signatures.length; i++) {
            address signer = tryRecover(digest, signatures[i]);
            if (signer == address(0) || !isObserver[signer]) {
                continue;
            }
            bool repeated = false;
            for (uint256 j = 0; j < count && !repeated; j++) {
                repeated = seen[j] == signer;
            }
            if (!repeated) {
                seen[count++] = signer;
            }
        }
    }

    function live(bytes32 channelId) private view returns (Channel storage c) {
        c = channels[channelId];
        require(c.payer != address(0), "no such channel");
        require(!c.settled, "channel is settled already");
    }

    function close(bytes32 channelId, Channel storage c, uint256 paid) private {
        c.settled = true;
        c.paidToPayee = paid;
        c.refundedToPayer = c.deposit - paid;
        balanceOf[c.payee] += paid;
        balanceOf[c.payer] += c.deposit - paid;
        emit ChannelSettled(channelId, paid, c.deposit - paid);
    }

    function recover(bytes32 digest, bytes calldata signature) private pure returns (address signer) {
        require(signature.length == 65, "BAD_SIGNATURE: 65 bytes expected");
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) {
            v += 27;
        }
        require(uint256(s) <= HALF_ORDER, "BAD_SIGNATURE: high s");
        signer = ecrecover(digest, v, r, s);
        require(signer != address(0), "BAD_SIGNATURE: does not recover");
    }

    /// The signer of a 65-byte low-s signature, or the zero address for anything else (no revert: one bad signature among
    /// enough good ones doesn't spoil a claim).
    function tryRecover(bytes32 digest, bytes calldata signature) private pure returns (address) {
        if (signature.length != 65) {
            return address(0);
        }
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) {
            v += 27;
        }
        return uint256(s) > HALF_ORDER ? address(0) : ecrecover(digest, v, r, s);
    }
}
